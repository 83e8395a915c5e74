package dev.tandem.hub.mcp;

import dev.tandem.hub.git.CommitResult;
import dev.tandem.hub.git.GitService;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code git_commit}: stages everything ({@code git add -A}) and commits it. */
final class GitCommitTool {
    static final String NAME = "git_commit";
    private static final String INPUT_SCHEMA = "{\"type\":\"object\",\"properties\":{" + GitCapability.DIR_PROPERTY
            + ",\"message\":{\"type\":\"string\",\"description\":\"The commit message\"}},"
            + "\"required\":[\"message\"],\"additionalProperties\":false}";
    private static final String OUTPUT_SCHEMA = "{\"type\":\"object\",\"properties\":{"
            + "\"id\":{\"type\":\"string\"},\"branch\":{\"type\":[\"string\",\"null\"]},"
            + "\"author\":{\"type\":\"string\"},\"email\":{\"type\":\"string\"},\"subject\":{\"type\":\"string\"}},"
            + "\"required\":[\"id\",\"author\",\"email\",\"subject\"]}";

    private final GitService git;

    GitCommitTool(GitService git) {
        this.git = git;
    }

    McpServerFeatures.SyncToolSpecification specification() {
        return ToolSpecs.declare(
                NAME,
                "Git commit",
                "Stages every change in the repository holding 'dir' (git add -A: new, modified and "
                        + "deleted files, ignored files left out) and commits with 'message'. The author comes from "
                        + "the repository's git config, else the hub's [git] author. Refuses an empty commit. "
                        + "Returns the new commit id.",
                INPUT_SCHEMA,
                OUTPUT_SCHEMA,
                new ToolSpecs.Hints(false, false, false, false),
                this::call);
    }

    private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        ToolArgs args = ToolArgs.of(request);
        CommitResult c = git.commit(args.nonBlank("dir"), args.requiredNonBlank("message"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", c.id());
        out.put("branch", c.branch().orElse(null));
        out.put("author", c.author());
        out.put("email", c.email());
        out.put("subject", c.subject());
        return ToolResults.structured(out);
    }
}
