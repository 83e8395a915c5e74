package dev.tandem.hub.mcp;

import dev.tandem.core.memory.Page;
import dev.tandem.hub.memory.MemoryService;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code memory_list}: the memories the caller can see, most recently updated first, a page at a time. */
final class MemoryListTool {
    static final String NAME = "memory_list";
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;
    private static final String INPUT_SCHEMA = """
            {"type":"object","properties":{
              "tags":{"type":"array","items":{"type":"string"},"description":"Only memories with all these tags."},
              "scope":{"type":"string","enum":["client","shared"],"description":"Only this scope (default both)."},
              "offset":{"type":"integer","minimum":0,"default":0,"description":"Skip this many (nextOffset)."},
              "limit":{"type":"integer","minimum":1,"maximum":100,"default":20}},
             "additionalProperties":false}
            """;
    private static final String OUTPUT_SCHEMA = "{\"type\":\"object\",\"properties\":{"
            + "\"items\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
            + MemoryViews.HEADER_PROPERTIES + "}}},\"offset\":{\"type\":\"integer\"},"
            + "\"nextOffset\":{\"type\":\"integer\",\"description\":\"present when more follow\"}},"
            + "\"required\":[\"items\",\"offset\"]}";

    private final MemoryService memories;

    MemoryListTool(MemoryService memories) {
        this.memories = memories;
    }

    McpServerFeatures.SyncToolSpecification specification() {
        return ToolSpecs.declare(
                NAME,
                "List memories",
                "Lists stored memories, most recently updated first: id, title, one-line summary, "
                        + "tags, scope, times. Pass nextOffset as offset for the next page.",
                INPUT_SCHEMA,
                OUTPUT_SCHEMA,
                ToolSpecs.READ_ONLY,
                this::call);
    }

    private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        ToolArgs args = ToolArgs.of(request);
        int offset =
                args.optionalInt("offset", 0, Integer.MAX_VALUE - MAX_LIMIT).orElse(0);
        int limit = args.optionalInt("limit", 1, MAX_LIMIT).orElse(DEFAULT_LIMIT);
        Page page = memories.list(
                memories.owner(Caller.of(exchange).engine(), Caller.of(exchange).host()),
                args.stringList("tags"),
                MemoryViews.scope(args),
                offset,
                limit);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", page.items().stream().map(MemoryViews::header).toList());
        out.put("offset", offset);
        if (page.more()) {
            out.put("nextOffset", offset + page.items().size());
        }
        return ToolResults.structured(out);
    }
}
