package dev.tandem.hub.mcp;

import dev.tandem.core.cli.TerminalText;
import dev.tandem.core.config.HubConfig;
import dev.tandem.hub.HubVersion;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Builds the MCP server: {@code hub_info} plus every capability's tools, resources, prompts and completions. */
public final class McpHub implements AutoCloseable {
    private static final String INSTRUCTIONS = "Tandem hub: the person's context portfolio, files and git inside "
            + "their chosen roots, named build tasks, and a memory store shared by Codex and Claude Code.";

    /** The longest URI of a resource template telemetry records as it is. */
    static final int MAX_TEMPLATED_URI = 256;

    private final McpSyncServer server;
    private final List<Capability> capabilities;

    private final ToolGuard guard;

    private McpHub(McpSyncServer server, List<Capability> capabilities, ToolGuard guard) {
        this.server = server;
        this.capabilities = capabilities;
        this.guard = guard;
    }

    /**
     * Builds the server on {@code transport} with the given capabilities; every tool runs behind one {@link
     * ToolGuard} with the deadline of {@code config} ({@code [hub] tool_timeout_seconds}).
     */
    public static McpHub start(
            McpStreamableServerTransportProvider transport, List<Capability> capabilities, HubConfig config) {
        ToolGuard guard = ToolGuard.from(config, capabilities);
        List<Capability> caps = List.copyOf(capabilities);
        HubInfoTool info = new HubInfoTool(Clock.systemUTC(), () -> caps);
        List<McpServerFeatures.SyncToolSpecification> tools = new ArrayList<>();
        tools.add(info.specification());
        List<McpServerFeatures.SyncResourceSpecification> resources = new ArrayList<>();
        List<McpServerFeatures.SyncResourceTemplateSpecification> templates = new ArrayList<>();
        List<McpServerFeatures.SyncPromptSpecification> prompts = new ArrayList<>();
        List<McpServerFeatures.SyncCompletionSpecification> completions = new ArrayList<>();
        for (Capability c : caps) {
            tools.addAll(c.tools());
            resources.addAll(c.resources());
            templates.addAll(c.resourceTemplates());
            prompts.addAll(c.prompts());
            completions.addAll(c.completions());
        }
        // Sorted by name, so tools/list gives the same order on every call, revision and restart.
        List<McpServerFeatures.SyncToolSpecification> guarded = tools.stream()
                .map(guard::wrap)
                .sorted(Comparator.comparing(t -> t.tool().name()))
                .toList();
        // Capabilities are passed explicitly: the SDK advertises resources only when static ones exist and
        // completions never on its own.
        McpSchema.ServerCapabilities serverCaps = McpSchema.ServerCapabilities.builder()
                .tools(true)
                .resources(false, true)
                .prompts(true)
                .logging()
                .completions()
                .build();
        McpSyncServer server = McpServer.sync(transport)
                .serverInfo("tandem", HubVersion.get())
                .instructions(INSTRUCTIONS)
                .jsonMapper(McpJsonDefaults.getMapper())
                // the JSON Schema library loads on the first validated call, not before the first answer
                .jsonSchemaValidator(new LazySchemaValidator(McpJsonDefaults::getSchemaValidator))
                .capabilities(serverCaps)
                .requestTimeout(Duration.ofMinutes(10))
                .immediateExecution(true)
                .tools(guarded)
                .resources(resources)
                .resourceTemplates(templates)
                .prompts(prompts)
                .completions(completions)
                .build();
        caps.forEach(c -> c.attach(server));
        return new McpHub(server, caps, guard);
    }

    /**
     * Returns whether {@code target} is what the server has registered for {@code method}: a tool's name for {@code
     * tools/call}, a prompt's for {@code prompts/get}, for {@code resources/read} a resource's URI or a URI of a
     * template's prefix (what comes before its first brace) of at most {@value #MAX_TEMPLATED_URI} characters.
     * Telemetry records only these as they are.
     */
    public boolean registers(String method, String target) {
        return switch (method) {
            case McpSchema.METHOD_TOOLS_CALL ->
                server.listTools().stream().anyMatch(t -> t.name().equals(target));
            case McpSchema.METHOD_PROMPT_GET ->
                server.listPrompts().stream().anyMatch(p -> p.name().equals(target));
            case McpSchema.METHOD_RESOURCES_READ ->
                server.listResources().stream().anyMatch(r -> r.uri().equals(target)) || templated(target);
            default -> false;
        };
    }

    private boolean templated(String uri) {
        return uri.length() <= MAX_TEMPLATED_URI
                && TerminalText.safe(uri).equals(uri)
                && server.listResourceTemplates().stream().anyMatch(t -> uri.startsWith(prefix(t.uriTemplate())));
    }

    private static String prefix(String uriTemplate) {
        int brace = uriTemplate.indexOf('{');
        return brace < 0 ? uriTemplate : uriTemplate.substring(0, brace);
    }

    public McpSyncServer server() {
        return server;
    }

    /** Tells every capability the hub is stopping ({@link Capability#stopping()}), before anything closes. */
    public void stopping() {
        capabilities.forEach(Capability::stopping);
    }

    @Override
    public void close() {
        guard.close();
        capabilities.forEach(Capability::close);
        server.close();
    }
}
