package dev.tandem.hub.mcp;

import dev.tandem.hub.memory.MemoryService;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code memory_delete}: removes a memory from search, list and retrieve; the history keeps a tombstone. */
final class MemoryDeleteTool {
    static final String NAME = "memory_delete";
    private static final String INPUT_SCHEMA = """
            {"type":"object","properties":{"id":{"type":"string"}},"required":["id"],"additionalProperties":false}
            """;
    private static final String OUTPUT_SCHEMA = """
            {"type":"object","properties":{"id":{"type":"string"},"deleted":{"type":"boolean"}},
             "required":["id","deleted"]}
            """;

    private final MemoryService memories;

    MemoryDeleteTool(MemoryService memories) {
        this.memories = memories;
    }

    McpServerFeatures.SyncToolSpecification specification() {
        return ToolSpecs.declare(
                NAME,
                "Delete memory",
                "Deletes a memory by id: it no longer appears in search, list or retrieve. Its "
                        + "versions stay in the store's history (and in `tandem memory export`).",
                INPUT_SCHEMA,
                OUTPUT_SCHEMA,
                new ToolSpecs.Hints(false, true, true, false),
                this::call);
    }

    private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        String id = ToolArgs.of(request).required("id").strip();
        memories.delete(
                memories.owner(Caller.of(exchange).engine(), Caller.of(exchange).host()), id);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("deleted", true);
        return ToolResults.structured(out);
    }
}
