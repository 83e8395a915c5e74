package dev.tandem.hub.mcp;

import dev.tandem.core.memory.Memory;
import dev.tandem.hub.memory.MemoryService;
import dev.tandem.hub.memory.StoreRequest;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import java.util.Optional;

/** {@code memory_store}: stores a new memory, or a new version of one; returns its id. */
final class MemoryStoreTool {
    static final String NAME = "memory_store";
    private static final String INPUT_SCHEMA = """
            {"type":"object","properties":{
              "content":{"type":"string","description":"What to remember (Markdown is fine)."},
              "title":{"type":"string","description":"A short title."},
              "summary":{"type":"string","description":"One line for lists; default: the first sentence."},
              "tags":{"type":"array","items":{"type":"string"},"description":"Lower-cased, no spaces."},
              "scope":{"type":"string","enum":["client","shared"],
                "description":"client (default for new): only this engine on this machine sees it; shared: all."},
              "id":{"type":"string","description":"Update this memory: adds a version, earlier ones are kept; omitted title, tags and scope stay as they were."}},
             "required":["content"],"additionalProperties":false}
            """;
    private static final String OUTPUT_SCHEMA =
            "{\"type\":\"object\",\"properties\":{" + MemoryViews.HEADER_PROPERTIES + "},\"required\":[\"id\"]}";

    private final MemoryService memories;

    MemoryStoreTool(MemoryService memories) {
        this.memories = memories;
    }

    McpServerFeatures.SyncToolSpecification specification() {
        return ToolSpecs.declare(
                NAME,
                "Store memory",
                "Remembers a piece of knowledge across sessions and returns its id. Pass id to update "
                        + "a memory (a new version; earlier versions are kept). Content up to "
                        + memories.settings().maxBytes() + " bytes.",
                INPUT_SCHEMA,
                OUTPUT_SCHEMA,
                new ToolSpecs.Hints(false, false, false, false),
                this::call);
    }

    private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        ToolArgs args = ToolArgs.of(request);
        StoreRequest store = new StoreRequest(
                args.required("content"),
                args.optional("title"),
                args.optional("summary"),
                args.has("tags") ? Optional.of(args.stringList("tags")) : Optional.empty(),
                MemoryViews.scope(args),
                args.optional("id").filter(s -> !s.isBlank()));
        Memory m = memories.store(
                memories.owner(Caller.of(exchange).engine(), Caller.of(exchange).host()), store);
        Map<String, Object> out = MemoryViews.header(m);
        return ToolResults.structured(out);
    }
}
