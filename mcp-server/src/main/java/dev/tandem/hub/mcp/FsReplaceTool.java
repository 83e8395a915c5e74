package dev.tandem.hub.mcp;

import dev.tandem.hub.fs.FsWriter;
import dev.tandem.hub.fs.WriteResult;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code fs_replace}: replaces a snippet that occurs exactly once; anything else leaves the file untouched. */
final class FsReplaceTool {
    static final String NAME = "fs_replace";
    private static final String INPUT_SCHEMA = """
            {"type":"object","properties":{
              "path":{"type":"string","description":"File, absolute or relative to the first root"},
              "old_text":{"type":"string","description":"Exact snippet to replace; must occur exactly once"},
              "new_text":{"type":"string","description":"Its replacement"},
              "expected_sha256":{"type":"string","description":"The file's sha256 as last read; a different one refuses the edit"}},
             "required":["path","old_text","new_text"],"additionalProperties":false}
            """;
    static final String OUTPUT_SCHEMA = """
            {"type":"object","properties":{
              "path":{"type":"string"},"bytes":{"type":"integer"},
              "sha256":{"type":"string","description":"Hash of the new content"},"created":{"type":"boolean"}},
             "required":["path","bytes","sha256","created"]}
            """;

    private final FsWriter writer;

    FsReplaceTool(FsWriter writer) {
        this.writer = writer;
    }

    /** Returns the tool; {@code rootsNote} (which roots there are) ends its description. */
    McpServerFeatures.SyncToolSpecification specification(String rootsNote) {
        return ToolSpecs.declare(
                NAME,
                "Replace snippet",
                "Replaces old_text by new_text in a file inside the configured roots. old_text must "
                        + "occur exactly once: with 0 or several occurrences the result is an error naming the "
                        + "count and the file is untouched. expected_sha256 (from fs_read) refuses a stale edit."
                        + rootsNote,
                INPUT_SCHEMA,
                OUTPUT_SCHEMA,
                new ToolSpecs.Hints(false, true, false, false),
                this::call);
    }

    private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        ToolArgs args = ToolArgs.of(request);
        WriteResult r = writer.replace(
                args.required("path"),
                args.required("old_text"),
                args.required("new_text"),
                args.optional("expected_sha256"));
        return ToolResults.structured(written(r));
    }

    static Map<String, Object> written(WriteResult r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("path", r.path().toString());
        out.put("bytes", r.bytes());
        out.put("sha256", r.sha256());
        out.put("created", r.created());
        return out;
    }
}
