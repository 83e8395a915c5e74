package dev.tandem.hub.mcp;

import dev.tandem.hub.memory.MemoryService;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;

/** {@code memory_retrieve}: one memory in full, its current version or an earlier one. */
final class MemoryRetrieveTool {
    static final String NAME = "memory_retrieve";
    private static final String INPUT_SCHEMA = """
            {"type":"object","properties":{
              "id":{"type":"string"},
              "version":{"type":"integer","minimum":1,"description":"An earlier version; default the current one."}},
             "required":["id"],"additionalProperties":false}
            """;
    private static final String OUTPUT_SCHEMA = "{\"type\":\"object\",\"properties\":{" + MemoryViews.HEADER_PROPERTIES
            + ",\"content\":{\"type\":\"string\"}},\"required\":[\"id\",\"content\"]}";

    private final MemoryService memories;

    MemoryRetrieveTool(MemoryService memories) {
        this.memories = memories;
    }

    McpServerFeatures.SyncToolSpecification specification() {
        return ToolSpecs.declare(
                NAME,
                "Retrieve memory",
                "Returns one memory in full by id (the current version, or an earlier one).",
                INPUT_SCHEMA,
                OUTPUT_SCHEMA,
                ToolSpecs.READ_ONLY,
                this::call);
    }

    private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        ToolArgs args = ToolArgs.of(request);
        var m = memories.retrieve(
                memories.owner(Caller.of(exchange).engine(), Caller.of(exchange).host()),
                args.required("id").strip(),
                args.optionalInt("version", 1, Integer.MAX_VALUE));
        return ToolResults.structured(MemoryViews.full(m));
    }
}
