package dev.tandem.hub.mcp;

import dev.tandem.hub.git.GitService;
import dev.tandem.hub.git.LogEntry;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code git_log}: the newest commits reachable from HEAD, optionally only those touching a path. */
final class GitLogTool {
    static final String NAME = "git_log";
    private static final String INPUT_SCHEMA = "{\"type\":\"object\",\"properties\":{" + GitCapability.DIR_PROPERTY
            + ",\"n\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000,\"description\":\"How many commits "
            + "(default 20)\"},\"path\":{\"type\":\"string\",\"description\":\"Only commits touching this "
            + "repository-relative file or folder\"}},\"additionalProperties\":false}";
    private static final String OUTPUT_SCHEMA = "{\"type\":\"object\",\"properties\":{"
            + "\"commits\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
            + "\"id\":{\"type\":\"string\"},\"author\":{\"type\":\"string\"},\"email\":{\"type\":\"string\"},"
            + "\"date\":{\"type\":\"string\",\"description\":\"ISO-8601\"},\"subject\":{\"type\":\"string\"}}}}},"
            + "\"required\":[\"commits\"]}";

    private final GitService git;

    GitLogTool(GitService git) {
        this.git = git;
    }

    McpServerFeatures.SyncToolSpecification specification() {
        return ToolSpecs.declare(
                NAME,
                "Git log",
                "Lists the newest n commits reachable from HEAD (id, author, date, subject), "
                        + "optionally only those touching 'path'.",
                INPUT_SCHEMA,
                OUTPUT_SCHEMA,
                ToolSpecs.READ_ONLY,
                this::call);
    }

    private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        ToolArgs args = ToolArgs.of(request);
        List<LogEntry> entries = git.log(args.nonBlank("dir"), args.integer("n", 20, 1, 1000), args.nonBlank("path"));
        List<Map<String, Object>> commits = entries.stream()
                .map(e -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", e.id());
                    m.put("author", e.author());
                    m.put("email", e.email());
                    m.put("date", e.date().toString());
                    m.put("subject", e.subject());
                    return m;
                })
                .toList();
        return ToolResults.structured(Map.of("commits", commits));
    }
}
