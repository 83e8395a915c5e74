package dev.tandem.hub.mcp;

import dev.tandem.hub.fs.FsWriter;
import dev.tandem.hub.fs.WriteResult;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;

/** {@code fs_write}: creates or overwrites a file atomically, creating parent folders inside the root. */
final class FsWriteTool {
    static final String NAME = "fs_write";
    private static final String INPUT_SCHEMA = """
            {"type":"object","properties":{
              "path":{"type":"string","description":"File, absolute or relative to the first root"},
              "content":{"type":"string","description":"The whole new content (UTF-8)"},
              "create_parents":{"type":"boolean","description":"Create missing parent folders (default true)"},
              "overwrite":{"type":"boolean","description":"Replace an existing file (default true)"}},
             "required":["path","content"],"additionalProperties":false}
            """;

    private final FsWriter writer;

    FsWriteTool(FsWriter writer) {
        this.writer = writer;
    }

    /** Returns the tool; {@code rootsNote} (which roots there are) ends its description. */
    McpServerFeatures.SyncToolSpecification specification(String rootsNote) {
        return ToolSpecs.declare(
                NAME,
                "Write file",
                "Creates or overwrites a file inside the configured roots with the given content, "
                        + "atomically (temp file + rename): readers see the old or the new file, never a mix. "
                        + "Missing parent folders are created inside the root." + rootsNote,
                INPUT_SCHEMA,
                FsReplaceTool.OUTPUT_SCHEMA,
                new ToolSpecs.Hints(false, true, true, false),
                this::call);
    }

    private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        ToolArgs args = ToolArgs.of(request);
        WriteResult r = writer.write(
                args.required("path"),
                args.required("content"),
                args.bool("create_parents", true),
                args.bool("overwrite", true));
        return ToolResults.structured(FsReplaceTool.written(r));
    }
}
