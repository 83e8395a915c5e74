package dev.tandem.hub.mcp;

import dev.tandem.hub.fs.FsSearcher;
import dev.tandem.hub.fs.SearchRequest;
import dev.tandem.hub.fs.SearchResult;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntConsumer;

/** {@code fs_search}: literal or regex search over file contents, honouring .gitignore, with progress. */
final class FsSearchTool {
    static final String NAME = "fs_search";
    private static final String INPUT_SCHEMA = """
            {"type":"object","properties":{
              "query":{"type":"string","description":"Text to find, or a regular expression (RE2 syntax: no lookaround or backreferences) when regex is true"},
              "path":{"type":"string","description":"Folder or file to search (default: the first root)"},
              "regex":{"type":"boolean","description":"Treat query as a regular expression (default false)"},
              "ignore_case":{"type":"boolean","description":"Ignore case (default false)"},
              "glob":{"type":"string","description":"Only files matching this glob: *.java matches names, src/**/*.java relative paths"},
              "include_hidden":{"type":"boolean","description":"Also search dot files and folders (default false)"},
              "max_results":{"type":"integer","minimum":1,"description":"Most matching lines returned (default 200)"}},
             "required":["query"],"additionalProperties":false}
            """;
    private static final String OUTPUT_SCHEMA = """
            {"type":"object","properties":{
              "folder":{"type":"string","description":"Real path of the searched folder"},
              "matches":{"type":"array","items":{"type":"object","properties":{
                "path":{"type":"string","description":"Relative to folder"},
                "line":{"type":"integer"},"text":{"type":"string"}},"required":["path","line","text"]}},
              "filesScanned":{"type":"integer"},
              "truncated":{"type":"boolean","description":"More matches exist than max_results"}},
             "required":["folder","matches","filesScanned","truncated"]}
            """;

    private final FsSearcher searcher;

    FsSearchTool(FsSearcher searcher) {
        this.searcher = searcher;
    }

    /** Returns the tool; {@code rootsNote} (which roots there are) ends its description. */
    McpServerFeatures.SyncToolSpecification specification(String rootsNote) {
        return ToolSpecs.declare(
                NAME,
                "Search files",
                "Searches file contents under a folder inside the configured roots for a literal or "
                        + "a regular expression; returns matching lines (path, line, text). Honours .gitignore, "
                        + "skips hidden and binary files, stops at max_results with truncated=true. Sends progress "
                        + "notifications during long searches when the request has a progress token." + rootsNote,
                INPUT_SCHEMA,
                OUTPUT_SCHEMA,
                ToolSpecs.READ_ONLY,
                this::call);
    }

    private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        ToolArgs args = ToolArgs.of(request);
        SearchRequest query = new SearchRequest(
                args.optional("path").orElse(""),
                args.required("query"),
                args.bool("regex", false),
                args.bool("ignore_case", false),
                args.optional("glob"),
                args.bool("include_hidden", false),
                args.integer("max_results", SearchRequest.DEFAULT_MAX_RESULTS));
        SearchResult r = searcher.search(query, progress(exchange, request.progressToken()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("folder", r.folder().toString());
        out.put(
                "matches",
                r.matches().stream()
                        .map(m -> Map.<String, Object>of("path", m.path(), "line", m.line(), "text", m.text()))
                        .toList());
        out.put("filesScanned", r.filesScanned());
        out.put("truncated", r.truncated());
        return ToolResults.structured(out);
    }

    /** Returns a listener sending {@code notifications/progress}, one at a time, or none without a token. */
    private static IntConsumer progress(McpSyncServerExchange exchange, Object token) {
        if (token == null) {
            return n -> {};
        }
        Object lock = new Object();
        return n -> {
            synchronized (lock) {
                exchange.progressNotification(McpSchema.ProgressNotification.builder(token, n)
                        .message(n + " files searched")
                        .build());
            }
        };
    }
}
