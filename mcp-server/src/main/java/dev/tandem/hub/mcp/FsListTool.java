package dev.tandem.hub.mcp;

import dev.tandem.hub.fs.FsEntry;
import dev.tandem.hub.fs.FsLister;
import dev.tandem.hub.fs.Listing;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code fs_list}: a folder's entries, one level or recursively to a depth, with type and size. */
final class FsListTool {
    static final String NAME = "fs_list";
    private static final String INPUT_SCHEMA = """
            {"type":"object","properties":{
              "path":{"type":"string","description":"Folder, absolute or relative to the first root (default: the first root)"},
              "depth":{"type":"integer","minimum":1,"maximum":20,"description":"1 = direct children only (default 1)"},
              "max_entries":{"type":"integer","minimum":1,"description":"Cap on entries returned (default 2000)"}},
             "additionalProperties":false}
            """;
    private static final String OUTPUT_SCHEMA = """
            {"type":"object","properties":{
              "folder":{"type":"string","description":"Real path of the listed folder"},
              "entries":{"type":"array","items":{"type":"object","properties":{
                "path":{"type":"string","description":"Relative to folder"},
                "type":{"type":"string","enum":["file","dir","symlink","other"]},
                "size":{"type":"integer"},"modified":{"type":"string"}},
                "required":["path","type","size"]}},
              "truncated":{"type":"boolean"}},
             "required":["folder","entries","truncated"]}
            """;

    private final FsLister lister;

    FsListTool(FsLister lister) {
        this.lister = lister;
    }

    /** Returns the tool; {@code rootsNote} (which roots there are) ends its description. */
    McpServerFeatures.SyncToolSpecification specification(String rootsNote) {
        return ToolSpecs.declare(
                NAME,
                "List folder",
                "Lists a folder inside the configured roots: each entry's relative path, type (file, "
                        + "dir, symlink, other), size and modified time. Symbolic links are shown, not followed."
                        + rootsNote,
                INPUT_SCHEMA,
                OUTPUT_SCHEMA,
                ToolSpecs.READ_ONLY,
                this::call);
    }

    private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        ToolArgs args = ToolArgs.of(request);
        Listing listing = lister.list(
                args.optional("path").orElse(""),
                args.integer("depth", 1),
                args.integer("max_entries", FsLister.DEFAULT_MAX_ENTRIES));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("folder", listing.folder().toString());
        out.put("entries", listing.entries().stream().map(FsListTool::entry).toList());
        out.put("truncated", listing.truncated());
        return ToolResults.structured(out);
    }

    private static Map<String, Object> entry(FsEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", e.path());
        m.put("type", e.type());
        m.put("size", e.size());
        m.put("modified", e.modified().toString());
        return m;
    }
}
