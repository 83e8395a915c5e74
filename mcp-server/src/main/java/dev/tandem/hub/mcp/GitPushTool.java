package dev.tandem.hub.mcp;

import dev.tandem.hub.git.GitService;
import dev.tandem.hub.git.PushReport;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code git_push}: pushes the current branch; a rejected push is an error that says why. */
final class GitPushTool {
    static final String NAME = "git_push";
    private static final String INPUT_SCHEMA = "{\"type\":\"object\",\"properties\":{" + GitCapability.DIR_PROPERTY
            + ",\"remote\":{\"type\":\"string\",\"description\":\"Configured remote to push to (default: the "
            + "branch's upstream remote, else origin)\"},\"force\":{\"type\":\"boolean\",\"description\":"
            + "\"Overwrite the remote branch; only works when the hub allows it ([git] allow_force)\"}},"
            + "\"additionalProperties\":false}";
    private static final String OUTPUT_SCHEMA = "{\"type\":\"object\",\"properties\":{"
            + "\"remote\":{\"type\":\"string\"},\"url\":{\"type\":\"string\"},\"source\":{\"type\":\"string\"},"
            + "\"destination\":{\"type\":\"string\"},\"status\":{\"type\":\"string\",\"enum\":[\"ok\",\"up_to_date\"]},"
            + "\"forced\":{\"type\":\"boolean\"},\"messages\":{\"type\":\"string\"}},"
            + "\"required\":[\"remote\",\"source\",\"destination\",\"status\",\"forced\"]}";

    private final GitService git;

    GitPushTool(GitService git) {
        this.git = git;
    }

    McpServerFeatures.SyncToolSpecification specification() {
        // destructive: with force (when allowed) it rewrites the remote branch
        return ToolSpecs.declare(
                NAME,
                "Git push",
                "Pushes the current branch to its upstream, or to the same-named branch of 'remote'. "
                        + "A rejected push (for example not a fast-forward) is reported as an error with the reason. "
                        + "Never forces unless force is true and the hub's [git] allow_force is set.",
                INPUT_SCHEMA,
                OUTPUT_SCHEMA,
                new ToolSpecs.Hints(false, true, false, true),
                this::call);
    }

    private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        ToolArgs args = ToolArgs.of(request);
        PushReport p = git.push(args.nonBlank("dir"), args.nonBlank("remote"), args.bool("force", false));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("remote", p.remote());
        out.put("url", p.url());
        out.put("source", p.source());
        out.put("destination", p.destination());
        out.put("status", p.status());
        out.put("forced", p.forced());
        out.put("messages", p.messages());
        return ToolResults.structured(out);
    }
}
