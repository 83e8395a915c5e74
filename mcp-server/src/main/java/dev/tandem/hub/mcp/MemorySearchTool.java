package dev.tandem.hub.mcp;

import dev.tandem.core.memory.SearchHit;
import dev.tandem.hub.memory.MemoryService;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code memory_search}: full-text search over the memories the caller can see, best first. */
final class MemorySearchTool {
    static final String NAME = "memory_search";
    static final int DEFAULT_LIMIT = 10;
    static final int MAX_LIMIT = 100;
    private static final String INPUT_SCHEMA = """
            {"type":"object","properties":{
              "query":{"type":"string","description":"Words to look for; memories with more of them rank higher."},
              "tags":{"type":"array","items":{"type":"string"},"description":"Only memories with all these tags."},
              "scope":{"type":"string","enum":["client","shared"],"description":"Only this scope (default both)."},
              "limit":{"type":"integer","minimum":1,"maximum":100,"default":10}},
             "required":["query"],"additionalProperties":false}
            """;
    private static final String OUTPUT_SCHEMA = "{\"type\":\"object\",\"properties\":{"
            + "\"count\":{\"type\":\"integer\"},\"hits\":{\"type\":\"array\",\"items\":{\"type\":\"object\","
            + "\"properties\":{" + MemoryViews.HEADER_PROPERTIES + ",\"snippet\":{\"type\":\"string\"},"
            + "\"score\":{\"type\":\"number\"}}}}},\"required\":[\"count\",\"hits\"]}";

    private final MemoryService memories;

    MemorySearchTool(MemoryService memories) {
        this.memories = memories;
    }

    McpServerFeatures.SyncToolSpecification specification() {
        return ToolSpecs.declare(
                NAME,
                "Search memories",
                "Full-text search of stored memories (bm25 ranking). Returns id, title, summary, a "
                        + "snippet with matches marked **like this**, score (higher is better), tags and updated "
                        + "time. Words are matched literally; use memory_retrieve for the full text.",
                INPUT_SCHEMA,
                OUTPUT_SCHEMA,
                ToolSpecs.READ_ONLY,
                this::call);
    }

    private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        ToolArgs args = ToolArgs.of(request);
        List<SearchHit> hits = memories.search(
                memories.owner(Caller.of(exchange).engine(), Caller.of(exchange).host()),
                args.required("query"),
                args.stringList("tags"),
                MemoryViews.scope(args),
                args.optionalInt("limit", 1, MAX_LIMIT).orElse(DEFAULT_LIMIT));
        List<Map<String, Object>> views = hits.stream()
                .map(h -> {
                    Map<String, Object> v = MemoryViews.header(h.memory());
                    v.put("snippet", h.snippet());
                    v.put("score", Math.round(h.score() * 1000) / 1000.0);
                    return v;
                })
                .toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", views.size());
        out.put("hits", views);
        return ToolResults.structured(out);
    }
}
