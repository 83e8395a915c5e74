package dev.tandem.hub.mcp;

import dev.tandem.hub.delegation.DelegationException;
import dev.tandem.hub.delegation.DelegationService;
import dev.tandem.hub.runs.Approval;
import dev.tandem.hub.runs.Engine;
import dev.tandem.hub.runs.Sandbox;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code codex_exec} and {@code claude_exec}: the other engine (or the caller's own) runs a task as a one-shot
 * delegated job and the answer comes back: the final message, files changed, tokens, cost and the session id to
 * continue. The schema offers {@code danger-full-access} and {@code auto} only when {@code [delegation]} enables
 * them.
 */
final class DelegateExecTool {
    private static final Set<String> ARGUMENTS =
            Set.of("task", "dir", "context", "files", "sandbox", "approval", "model", "background", "session_id");

    private final DelegationService delegation;
    private final Engine engine;

    DelegateExecTool(DelegationService delegation, Engine engine) {
        this.delegation = delegation;
        this.engine = engine;
    }

    static String name(Engine engine) {
        return engine.wireName() + "_exec";
    }

    McpServerFeatures.SyncToolSpecification specification() {
        String who = engine == Engine.CODEX ? "Codex CLI" : "Claude Code";
        // it runs an agent that may change files and run commands in its sandbox: not read-only, not idempotent
        return ToolSpecs.declare(
                name(engine),
                "Delegate a task to " + who,
                "Runs " + who + " on a task in dir (inside the hub's roots) and returns its final message, "
                        + "files_modified, tokens, cost and session_id (pass it back as session_id to continue). "
                        + "Progress arrives as notifications while it runs; background: true returns a job id at "
                        + "once instead (follow it with job_status / job_output). Sandbox defaults to "
                        + "workspace-write, approval to never (what needs approval is refused).",
                inputSchema(),
                DelegationViews.OUTPUT_SCHEMA,
                new ToolSpecs.Hints(false, true, false, false),
                this::call);
    }

    private String inputSchema() {
        String sandboxes = delegation.settings().sandboxes().stream()
                .map(s -> "\"" + s.wireName() + "\"")
                .collect(Collectors.joining(","));
        String approvals = delegation.settings().approvals().stream()
                .map(a -> "\"" + a.wireName() + "\"")
                .collect(Collectors.joining(","));
        return "{\"type\":\"object\",\"properties\":{"
                + "\"task\":{\"type\":\"string\",\"description\":\"What to do\"},"
                + "\"dir\":{\"type\":\"string\",\"description\":\"Folder to work in, inside the hub's roots "
                + "(default: the first root)\"},"
                + "\"context\":{\"type\":\"string\",\"description\":\"More text for the task (code, a log)\"},"
                + "\"files\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"description\":\"Globs, "
                + "relative to dir, of files whose text is attached\"},"
                + "\"sandbox\":{\"type\":\"string\",\"enum\":[" + sandboxes + "],"
                + "\"description\":\"What it may change (default workspace-write)\"},"
                + "\"approval\":{\"type\":\"string\",\"enum\":[" + approvals + "],\"description\":\"never: "
                + "what needs approval is refused (default); on-request: the person answers in Tandem\"},"
                + "\"model\":{\"type\":\"string\",\"description\":\"Model (default: the engine's own)\"},"
                + "\"session_id\":{\"type\":\"string\",\"description\":\"Continue this engine session\"},"
                + "\"background\":{\"type\":\"boolean\",\"description\":\"Return the job id at once\"}},"
                + "\"required\":[\"task\"],\"additionalProperties\":false}";
    }

    private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        ProgressLines[] lines = new ProgressLines[1];
        try {
            ToolArgs args = ToolArgs.of(request).only(ARGUMENTS);
            Caller caller = Caller.of(exchange);
            DelegationService.Exec req = new DelegationService.Exec(
                    engine,
                    args.requiredNonBlank("task"),
                    args.nonBlank("dir"),
                    args.nonBlank("context"),
                    args.stringList("files"),
                    args.nonBlank("sandbox").map(DelegateExecTool::sandbox),
                    args.nonBlank("approval").map(DelegateExecTool::approval),
                    args.nonBlank("model"),
                    args.nonBlank("session_id"));
            if (args.bool("background", false)) {
                return ToolResults.structured(DelegationViews.started(
                        delegation.start(req, caller.engine(), caller.remoteAddress()), caller.engine()));
            }
            DelegationService.Progress progress = DelegationViews.progress(exchange, request.progressToken(), lines);
            DelegationService.Outcome o = delegation.exec(req, caller.engine(), caller.remoteAddress(), progress);
            return ToolResults.structured(DelegationViews.outcome(delegation, o, caller.engine()));
        } catch (DelegationException | ToolArgs.BadArgument e) {
            return ToolResults.error(e.getMessage());
        } finally {
            if (lines[0] != null) {
                lines[0].finish();
            }
        }
    }

    private static Sandbox sandbox(String v) {
        try {
            return Sandbox.of(v);
        } catch (IllegalArgumentException e) {
            throw new ToolArgs.BadArgument(e.getMessage());
        }
    }

    private static Approval approval(String v) {
        try {
            return Approval.of(v);
        } catch (IllegalArgumentException e) {
            throw new ToolArgs.BadArgument(e.getMessage());
        }
    }
}
