package dev.tandem.hub.mcp;

import dev.tandem.core.telemetry.CommandUse;
import dev.tandem.hub.memory.MemoryService;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code log_command}: the footer of every deployed skill and command asks the agent to call this with the slug,
 * so the person can see which shared skills are really used, by which engine.
 */
final class LogCommandTool {
    static final String NAME = "log_command";
    private static final String INPUT_SCHEMA = """
            {"type":"object","properties":{
              "slug":{"type":"string","description":"The skill or command being used, e.g. \\"recall\\"."}},
             "required":["slug"],"additionalProperties":false}
            """;
    private static final String OUTPUT_SCHEMA = """
            {"type":"object","properties":{
              "slug":{"type":"string"},"engine":{"type":"string"},"at":{"type":"string"},
              "uses":{"type":"integer","description":"How often the slug was logged in all, this time included."}},
             "required":["slug","engine","at","uses"]}
            """;

    private final MemoryService store;

    LogCommandTool(MemoryService store) {
        this.store = store;
    }

    McpServerFeatures.SyncToolSpecification specification() {
        // it only appends a usage record: not read-only, but never destructive
        return ToolSpecs.declare(
                NAME,
                "Log command use",
                "Records that you are using a shared skill or command (its slug). Call it once when a "
                        + "skill's or command's footer asks you to; it changes nothing else.",
                INPUT_SCHEMA,
                OUTPUT_SCHEMA,
                new ToolSpecs.Hints(false, false, false, false),
                this::call);
    }

    private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        Caller caller = Caller.of(exchange);
        String slug = ToolArgs.of(request).required("slug").strip();
        CommandUse use = store.logCommand(store.owner(caller.engine()), caller.clientName(), slug);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("slug", use.slug());
        out.put("engine", caller.engine());
        out.put("at", use.at().toString());
        out.put("uses", use.uses());
        return ToolResults.structured(out);
    }
}
