package dev.tandem.hub.mcp;

import dev.tandem.hub.git.FileChange;
import dev.tandem.hub.git.GitService;
import dev.tandem.hub.git.StatusReport;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code git_status}: branch, upstream, ahead/behind and the staged, unstaged, untracked and conflicting files. */
final class GitStatusTool {
    static final String NAME = "git_status";
    private static final String INPUT_SCHEMA = "{\"type\":\"object\",\"properties\":{" + GitCapability.DIR_PROPERTY
            + ",\"max_entries\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":10000,"
            + "\"description\":\"Longest list returned per kind (default 500)\"}},\"additionalProperties\":false}";
    private static final String CHANGES = "{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
            + "\"path\":{\"type\":\"string\"},\"change\":{\"type\":\"string\"}}}}";
    private static final String OUTPUT_SCHEMA = "{\"type\":\"object\",\"properties\":{"
            + "\"workTree\":{\"type\":\"string\"},\"branch\":{\"type\":[\"string\",\"null\"]},"
            + "\"head\":{\"type\":[\"string\",\"null\"]},\"upstream\":{\"type\":[\"string\",\"null\"]},"
            + "\"ahead\":{\"type\":\"integer\"},\"behind\":{\"type\":\"integer\"},\"clean\":{\"type\":\"boolean\"},"
            + "\"staged\":" + CHANGES + ",\"unstaged\":" + CHANGES + ","
            + "\"untracked\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
            + "\"conflicting\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
            + "\"truncated\":{\"type\":\"boolean\"}},"
            + "\"required\":[\"workTree\",\"clean\",\"staged\",\"unstaged\",\"untracked\",\"conflicting\"]}";

    private final GitService git;

    GitStatusTool(GitService git) {
        this.git = git;
    }

    McpServerFeatures.SyncToolSpecification specification() {
        return ToolSpecs.declare(
                NAME,
                "Git status",
                "Shows the branch, its upstream and ahead/behind counts, and the staged, unstaged, "
                        + "untracked and conflicting files of the repository holding 'dir'.",
                INPUT_SCHEMA,
                OUTPUT_SCHEMA,
                ToolSpecs.READ_ONLY,
                this::call);
    }

    private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        ToolArgs args = ToolArgs.of(request);
        StatusReport s = git.status(args.nonBlank("dir"), args.integer("max_entries", 500, 1, 10_000));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("workTree", s.workTree());
        out.put("branch", s.branch().orElse(null));
        out.put("head", s.head().orElse(null));
        out.put("upstream", s.upstream().orElse(null));
        out.put("ahead", s.ahead());
        out.put("behind", s.behind());
        out.put("clean", s.clean());
        out.put("staged", changes(s.staged()));
        out.put("unstaged", changes(s.unstaged()));
        out.put("untracked", s.untracked());
        out.put("conflicting", s.conflicting());
        out.put("truncated", s.truncated());
        return ToolResults.structured(out);
    }

    static List<Map<String, Object>> changes(List<FileChange> changes) {
        return changes.stream()
                .map(c -> Map.<String, Object>of("path", c.path(), "change", c.change()))
                .toList();
    }
}
