package dev.tandem.hub.mcp;

import dev.tandem.core.config.HubConfig;
import dev.tandem.hub.portfolio.Portfolio;
import dev.tandem.hub.portfolio.PortfolioDoc;
import dev.tandem.hub.portfolio.PortfolioException;
import dev.tandem.hub.portfolio.PortfolioPoller;
import dev.tandem.hub.portfolio.PortfolioText;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The portfolio capability: {@code portfolio_list}, {@code portfolio_read}, resources {@code portfolio://NAME}
 * (one per document, kept current by a poller that sends {@code notifications/resources/list_changed} when a
 * document is added or removed, or its title changes), the
 * template {@code portfolio://{name}} and completion of its name.
 */
public final class PortfolioCapability implements Capability {
    static final String TEMPLATE = Portfolio.SCHEME + "{name}";
    private static final String MIME = "text/markdown";
    private static final int MAX_COMPLETIONS = 100;

    private final Portfolio portfolio;
    private final PortfolioPoller poller;
    /** The registered documents: name to the title their resource shows. */
    private final Map<String, String> registered = new HashMap<>();

    private volatile McpSyncServer server;

    private PortfolioCapability(Portfolio portfolio, Duration pollInterval) {
        this.portfolio = portfolio;
        this.poller = new PortfolioPoller(portfolio, pollInterval, this::refresh);
        portfolio.list().forEach(doc -> registered.put(doc.name(), doc.title()));
    }

    /** Creates the capability for {@code portfolioDir}; {@code [portfolio] poll_millis} sets the poll (2000). */
    public static PortfolioCapability create(HubConfig config) {
        long millis = config.reader("portfolio").whole("poll_millis", 10, 3_600_000, 2000);
        return new PortfolioCapability(new Portfolio(config.portfolioDir()), Duration.ofMillis(millis));
    }

    @Override
    public String name() {
        return "portfolio";
    }

    @Override
    public List<McpServerFeatures.SyncToolSpecification> tools() {
        return List.of(
                new PortfolioListTool(portfolio).specification(), new PortfolioReadTool(portfolio).specification());
    }

    @Override
    public List<McpServerFeatures.SyncResourceSpecification> resources() {
        return portfolio.list().stream().map(this::resource).toList();
    }

    @Override
    public List<McpServerFeatures.SyncResourceTemplateSpecification> resourceTemplates() {
        McpSchema.ResourceTemplate template = McpSchema.ResourceTemplate.builder(TEMPLATE, "portfolio")
                .title("Context portfolio document")
                .description("A document of the person's context portfolio by name, e.g. portfolio://stack")
                .mimeType(MIME)
                .build();
        return List.of(new McpServerFeatures.SyncResourceTemplateSpecification(template, this::read));
    }

    @Override
    public List<McpServerFeatures.SyncCompletionSpecification> completions() {
        return List.of(new McpServerFeatures.SyncCompletionSpecification(
                new McpSchema.ResourceReference(TEMPLATE), (exchange, request) -> complete(request)));
    }

    @Override
    public void attach(McpSyncServer server) {
        this.server = server;
        poller.start();
    }

    @Override
    public void close() {
        poller.close();
    }

    /**
     * Registers added documents, drops removed ones and re-registers those whose title changed; the SDK sends
     * list_changed for each.
     */
    private synchronized void refresh() {
        McpSyncServer s = server;
        if (s == null) {
            return;
        }
        List<PortfolioDoc> docs = portfolio.list();
        Set<String> names = new HashSet<>();
        docs.forEach(doc -> names.add(doc.name()));
        for (String gone : Set.copyOf(registered.keySet())) {
            if (!names.contains(gone)) {
                s.removeResource(Portfolio.SCHEME + gone);
                registered.remove(gone);
            }
        }
        for (PortfolioDoc doc : docs) {
            String title = registered.get(doc.name());
            if (title != null && !title.equals(doc.title())) {
                s.removeResource(doc.uri());
            }
            if (!doc.title().equals(title)) {
                s.addResource(resource(doc));
                registered.put(doc.name(), doc.title());
            }
        }
    }

    private McpServerFeatures.SyncResourceSpecification resource(PortfolioDoc doc) {
        McpSchema.Resource r = McpSchema.Resource.builder(doc.uri(), doc.name())
                .title(doc.title())
                .description("Portfolio document " + doc.fileName())
                .mimeType(MIME)
                .build();
        return new McpServerFeatures.SyncResourceSpecification(r, this::read);
    }

    private McpSchema.ReadResourceResult read(McpSyncServerExchange exchange, McpSchema.ReadResourceRequest request) {
        PortfolioText t;
        try {
            t = portfolio.read(request.uri());
        } catch (PortfolioException e) {
            throw McpError.builder(McpSchema.ErrorCodes.RESOURCE_NOT_FOUND)
                    .message(e.getMessage())
                    .build();
        }
        return McpSchema.ReadResourceResult.builder(
                        List.of(McpSchema.TextResourceContents.builder(request.uri(), t.text())
                                .mimeType(MIME)
                                .build()))
                .build();
    }

    private McpSchema.CompleteResult complete(McpSchema.CompleteRequest request) {
        String prefix = Portfolio.nameOf(request.argument().value()).toLowerCase(Locale.ROOT);
        List<String> all = portfolio.names().stream()
                .filter(n -> n.toLowerCase(Locale.ROOT).startsWith(prefix))
                .toList();
        List<String> shown = all.subList(0, Math.min(all.size(), MAX_COMPLETIONS));
        return new McpSchema.CompleteResult(
                new McpSchema.CompleteResult.CompleteCompletion(shown, all.size(), all.size() > shown.size()));
    }
}
