package dev.tandem.hub.mcp;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.function.BiFunction;

/** Declares a tool the same way for every capability: schemas, title, truthful hints and the handler. */
final class ToolSpecs {
    /** The input schema of a tool that takes no arguments. */
    static final String NO_ARGUMENTS = "{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}";

    /** The hints of a tool that only reads local state. */
    static final Hints READ_ONLY = new Hints(true, false, true, false);

    private ToolSpecs() {}

    /**
     * The hints a client uses to decide whether to ask before a call.
     *
     * @param readOnly the tool changes nothing
     * @param destructive it may overwrite or delete what was there
     * @param idempotent calling it twice with the same arguments has the effect of calling it once
     * @param openWorld it reaches beyond the machine (a git remote)
     */
    record Hints(boolean readOnly, boolean destructive, boolean idempotent, boolean openWorld) {}

    static McpServerFeatures.SyncToolSpecification declare(
            String name,
            String title,
            String description,
            String inputSchema,
            String outputSchema,
            Hints hints,
            BiFunction<McpSyncServerExchange, McpSchema.CallToolRequest, McpSchema.CallToolResult> handler) {
        var mapper = McpJsonDefaults.getMapper();
        McpSchema.Tool tool = McpSchema.Tool.builder(name, mapper, inputSchema)
                .title(title)
                .description(description)
                .outputSchema(mapper, outputSchema)
                .annotations(new McpSchema.ToolAnnotations(
                        title, hints.readOnly(), hints.destructive(), hints.idempotent(), hints.openWorld(), null))
                .build();
        return McpServerFeatures.SyncToolSpecification.builder()
                .tool(tool)
                .callHandler(handler)
                .build();
    }
}
