package dev.tandem.hub.mcp;

import dev.tandem.hub.git.DiffReport;
import dev.tandem.hub.git.DiffRequest;
import dev.tandem.hub.git.GitService;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** {@code git_diff}: a unified diff of the work tree, the index or two revisions, cut at a byte cap. */
final class GitDiffTool {
    static final String NAME = "git_diff";
    private static final String INPUT_SCHEMA = "{\"type\":\"object\",\"properties\":{" + GitCapability.DIR_PROPERTY
            + ",\"mode\":{\"type\":\"string\",\"enum\":[\"worktree\",\"staged\",\"revisions\"],\"description\":"
            + "\"worktree: work tree vs index (git diff, the default); staged: index vs HEAD (git diff --cached); "
            + "revisions: 'from' vs 'to'\"},"
            + "\"from\":{\"type\":\"string\",\"description\":\"Old revision (mode revisions), e.g. HEAD~3 or a tag\"},"
            + "\"to\":{\"type\":\"string\",\"description\":\"New revision (mode revisions, default HEAD)\"},"
            + "\"path\":{\"type\":\"string\",\"description\":\"Limit to this repository-relative file or folder\"},"
            + "\"max_bytes\":{\"type\":\"integer\",\"minimum\":1,\"description\":\"Cap on the diff text\"}},"
            + "\"additionalProperties\":false}";
    private static final String OUTPUT_SCHEMA = "{\"type\":\"object\",\"properties\":{"
            + "\"mode\":{\"type\":\"string\"},\"diff\":{\"type\":\"string\"},\"truncated\":{\"type\":\"boolean\"},"
            + "\"files\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
            + "\"path\":{\"type\":\"string\"},\"change\":{\"type\":\"string\"}}}}},"
            + "\"required\":[\"mode\",\"diff\",\"truncated\",\"files\"]}";

    private final GitService git;

    GitDiffTool(GitService git) {
        this.git = git;
    }

    McpServerFeatures.SyncToolSpecification specification() {
        return ToolSpecs.declare(
                NAME,
                "Git diff",
                "Returns a unified diff: unstaged changes (mode worktree, default), staged changes "
                        + "(mode staged) or between two revisions (mode revisions with from/to). The text is cut at "
                        + "max_bytes (default and ceiling from the hub's [git] max_diff_bytes); 'files' lists every "
                        + "changed path either way.",
                INPUT_SCHEMA,
                OUTPUT_SCHEMA,
                ToolSpecs.READ_ONLY,
                this::call);
    }

    private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        ToolArgs args = ToolArgs.of(request);
        String modeName = args.nonBlank("mode").orElse("worktree");
        DiffRequest.Mode mode = switch (modeName) {
            case "worktree" -> DiffRequest.Mode.WORKTREE;
            case "staged" -> DiffRequest.Mode.STAGED;
            case "revisions" -> DiffRequest.Mode.REVISIONS;
            default ->
                throw new ToolArgs.BadArgument("'mode' must be worktree, staged or revisions, got '" + modeName + "'");
        };
        int ceiling = git.settings().maxDiffBytes();
        DiffReport d = git.diff(
                args.nonBlank("dir"),
                new DiffRequest(
                        mode,
                        args.nonBlank("from"),
                        args.nonBlank("to"),
                        args.nonBlank("path"),
                        args.integer("max_bytes", ceiling, 1, ceiling)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mode", mode.name().toLowerCase(Locale.ROOT));
        out.put("diff", d.text());
        out.put("truncated", d.truncated());
        out.put("files", GitStatusTool.changes(d.files()));
        return ToolResults.structured(out);
    }
}
