package dev.tandem.hub.mcp;

import dev.tandem.hub.http.ProtocolExtension;
import dev.tandem.hub.skills.Skill;
import dev.tandem.hub.skills.SkillLibrary;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import tools.jackson.databind.JsonNode;

/**
 * Serves the shared skills as {@code skill://{slug}} resources and as prompts of the same name, and follows the
 * folder: a skill added, changed or removed on disk is announced with {@code list_changed} without a restart.
 */
public final class SkillsCapability implements Capability, ProtocolExtension {
    static final String SCHEME = "skill://";
    private static final Logger LOG = Logger.getLogger(SkillsCapability.class.getName());

    private final SkillLibrary library;
    private final Duration pollEvery;
    private final SkillsExtension extension;
    private Map<String, Skill> published;
    private volatile Thread poller;
    private volatile McpSyncServer server;
    private boolean closed;

    public SkillsCapability(SkillLibrary library, Duration pollEvery) {
        this.library = library;
        this.pollEvery = pollEvery;
        this.published = library.load();
        this.extension = new SkillsExtension(library.files());
    }

    // The Skills extension of protocol 2026-07-28 (see SkillsExtension); the prompts and skill://{slug} stay.

    @Override
    public String id() {
        return extension.id();
    }

    @Override
    public Map<String, Object> settings() {
        return extension.settings();
    }

    @Override
    public Set<String> methods() {
        return extension.methods();
    }

    @Override
    public boolean reads(String uri) {
        return extension.reads(uri);
    }

    @Override
    public Map<String, Object> answer(String method, JsonNode params) {
        return extension.answer(method, params);
    }

    @Override
    public String name() {
        return "skills";
    }

    @Override
    public List<McpServerFeatures.SyncResourceSpecification> resources() {
        return published.values().stream().map(this::resource).toList();
    }

    @Override
    public List<McpServerFeatures.SyncPromptSpecification> prompts() {
        return published.values().stream().map(this::prompt).toList();
    }

    private McpServerFeatures.SyncResourceSpecification resource(Skill skill) {
        McpSchema.Resource resource = McpSchema.Resource.builder(SCHEME + skill.slug(), skill.slug())
                .title(skill.name())
                .description(skill.description())
                .mimeType("text/markdown")
                .build();
        return new McpServerFeatures.SyncResourceSpecification(resource, (exchange, request) -> {
            Skill now = current(skill.slug());
            var contents = McpSchema.TextResourceContents.builder(request.uri(), now.body())
                    .mimeType("text/markdown")
                    .meta(Map.of("sha256", now.sha256(), "name", now.name(), "description", now.description()))
                    .build();
            return McpSchema.ReadResourceResult.builder(List.of(contents)).build();
        });
    }

    private McpServerFeatures.SyncPromptSpecification prompt(Skill skill) {
        List<McpSchema.PromptArgument> args = skill.arguments().stream()
                .map(a -> McpSchema.PromptArgument.builder(a).required(false).build())
                .toList();
        McpSchema.Prompt prompt = McpSchema.Prompt.builder(skill.slug())
                .title(skill.name())
                .description(skill.description())
                .arguments(args)
                .build();
        return new McpServerFeatures.SyncPromptSpecification(prompt, (exchange, request) -> {
            Skill now = current(skill.slug());
            Map<String, String> values = new LinkedHashMap<>();
            now.arguments().forEach(a -> values.put(a, ""));
            if (request.arguments() != null) {
                request.arguments().forEach((k, v) -> values.put(k, v == null ? "" : v.toString()));
            }
            var text = McpSchema.TextContent.builder(now.render(values)).build();
            var message =
                    McpSchema.PromptMessage.builder(McpSchema.Role.USER, text).build();
            return McpSchema.GetPromptResult.builder(List.of(message))
                    .description(now.description())
                    .build();
        });
    }

    /** Reads the skill from disk again, so a read always shows the current text. */
    private Skill current(String slug) {
        try {
            return library.find(slug)
                    .orElseThrow(() -> McpError.builder(-32002)
                            .message("Skill not found: " + slug)
                            .build());
        } catch (SkillLibrary.SkillException e) {
            throw McpError.builder(McpSchema.ErrorCodes.INTERNAL_ERROR)
                    .message(e.getMessage())
                    .build();
        }
    }

    @Override
    public void attach(McpSyncServer server) {
        this.server = server;
    }

    /** Follows the folder from when the hub listens: its first look does not compete with the start. */
    @Override
    public synchronized void listening() {
        McpSyncServer s = server;
        if (s != null && poller == null && !closed) {
            poller = Thread.ofVirtual().name("tandem-skills").start(() -> follow(s));
        }
    }

    private void follow(McpSyncServer server) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(pollEvery);
                refresh(server);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "skills: refresh failed", e);
            }
        }
    }

    /** Publishes what changed on disk since the last look. */
    void refresh(McpSyncServer server) {
        Map<String, Skill> now = library.load();
        Map<String, Skill> before = published;
        for (Skill old : before.values()) {
            Skill fresh = now.get(old.slug());
            if (fresh == null || !sameListing(old, fresh)) {
                server.removeResource(SCHEME + old.slug());
                server.removePrompt(old.slug());
            }
        }
        for (Skill fresh : now.values()) {
            Skill old = before.get(fresh.slug());
            if (old == null || !sameListing(old, fresh)) {
                server.addResource(resource(fresh));
                server.addPrompt(prompt(fresh));
            }
        }
        published = now;
    }

    private static boolean sameListing(Skill a, Skill b) {
        return a.name().equals(b.name())
                && a.description().equals(b.description())
                && a.arguments().equals(b.arguments());
    }

    @Override
    public synchronized void close() {
        closed = true;
        Thread t = poller;
        if (t != null) {
            t.interrupt();
        }
    }
}
