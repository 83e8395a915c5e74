package dev.tandem.hub.mcp;

import dev.tandem.hub.fs.FsReader;
import dev.tandem.hub.fs.TextRead;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code fs_read}: a text file's lines, optionally a range, under a byte cap; binary files are refused. */
final class FsReadTool {
    static final String NAME = "fs_read";
    private static final String INPUT_SCHEMA = """
            {"type":"object","properties":{
              "path":{"type":"string","description":"File, absolute or relative to the first root"},
              "start_line":{"type":"integer","minimum":1,"description":"First line, 1-based (default 1)"},
              "end_line":{"type":"integer","minimum":1,"description":"Last line, inclusive (default: end of file)"},
              "max_bytes":{"type":"integer","minimum":1,"maximum":1048576,
                "description":"Cap on returned text (default 262144, at most 1048576)"}},
             "required":["path"],"additionalProperties":false}
            """;
    private static final String OUTPUT_SCHEMA = """
            {"type":"object","properties":{
              "path":{"type":"string"},"text":{"type":"string"},
              "startLine":{"type":"integer"},"endLine":{"type":"integer"},"totalLines":{"type":"integer"},
              "size":{"type":"integer"},"sha256":{"type":"string"},"truncated":{"type":"boolean"}},
             "required":["path","text","startLine","endLine","totalLines","size","sha256","truncated"]}
            """;

    private final FsReader reader;

    FsReadTool(FsReader reader) {
        this.reader = reader;
    }

    /** Returns the tool; {@code rootsNote} (which roots there are) ends its description. */
    McpServerFeatures.SyncToolSpecification specification(String rootsNote) {
        return ToolSpecs.declare(
                NAME,
                "Read file",
                "Reads a UTF-8 text file inside the configured roots, optionally lines start_line.."
                        + "end_line, cut at max_bytes (truncated tells). Returns the file's sha256 for fs_replace. "
                        + "Binary files are refused." + rootsNote,
                INPUT_SCHEMA,
                OUTPUT_SCHEMA,
                ToolSpecs.READ_ONLY,
                this::call);
    }

    private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        ToolArgs args = ToolArgs.of(request);
        TextRead r = reader.read(
                args.required("path"),
                args.integer("start_line", 1),
                args.optionalInt("end_line"),
                args.integer("max_bytes", FsReader.DEFAULT_MAX_BYTES, 1, FsReader.MAX_MAX_BYTES));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("path", r.path().toString());
        out.put("text", r.text());
        out.put("startLine", r.startLine());
        out.put("endLine", r.endLine());
        out.put("totalLines", r.totalLines());
        out.put("size", r.size());
        out.put("sha256", r.sha256());
        out.put("truncated", r.truncated());
        return ToolResults.structured(out);
    }
}
