package dev.tandem.hub.mcp;

import dev.tandem.core.memory.Memory;
import dev.tandem.core.memory.Owner;
import dev.tandem.core.memory.Scope;
import dev.tandem.hub.memory.MemoryService;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How the memory tools (and the dashboard's memory API) show a memory.
 */
public final class MemoryViews {
    /** JSON Schema of {@link #header}'s fields, for output schemas. */
    static final String HEADER_PROPERTIES = """
            "id":{"type":"string"},"version":{"type":"integer"},"title":{"type":"string"},
            "summary":{"type":"string"},"tags":{"type":"array","items":{"type":"string"}},
            "scope":{"type":"string","enum":["client","host","shared"]},"engine":{"type":"string"},
            "host":{"type":"string"},"created":{"type":"string"},"updated":{"type":"string"}""";

    private MemoryViews() {}

    /** Returns everything but the content. */
    static Map<String, Object> header(Memory m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", m.id());
        out.put("version", m.version());
        out.put("title", m.title());
        out.put("summary", m.summary());
        out.put("tags", m.tags());
        out.put("scope", m.scope().wireName());
        out.put("engine", m.engine());
        out.put("host", m.host());
        out.put("created", m.created().toString());
        out.put("updated", m.updated().toString());
        return out;
    }

    /** Returns the owner of the request behind {@code exchange}: its credential's engine, on the caller's host. */
    static Owner owner(MemoryService memories, McpSyncServerExchange exchange) {
        Caller caller = Caller.of(exchange);
        return memories.owner(caller.engine(), caller.host());
    }

    /** Returns the header plus the content. */
    public static Map<String, Object> full(Memory m) {
        Map<String, Object> out = header(m);
        out.put("content", m.content());
        return out;
    }

    /** Returns Markdown for the {@code memory://} resource: the title as a heading, then the content. */
    static String markdown(Memory m) {
        return m.title().isEmpty() ? m.content() : "# " + m.title() + "\n\n" + m.content();
    }

    /** Returns the {@code scope} argument ({@code client}, {@code host} or {@code shared}), if one was given. */
    static Optional<Scope> scope(ToolArgs args) {
        return args.nonBlank("scope").map(Scope::parse);
    }
}
