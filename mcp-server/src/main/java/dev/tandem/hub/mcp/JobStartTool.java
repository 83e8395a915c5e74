package dev.tandem.hub.mcp;

import dev.tandem.hub.jobs.JobException;
import dev.tandem.hub.jobs.JobRequest;
import dev.tandem.hub.jobs.JobService;
import dev.tandem.hub.jobs.JobViews;
import dev.tandem.hub.runs.Approval;
import dev.tandem.hub.runs.Engine;
import dev.tandem.hub.runs.Sandbox;
import dev.tandem.hub.usage.Ledger;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code job_start}: starts Codex or Claude Code in the background and returns the job record at once. The sandbox
 * and approval choices in its schema are only those {@code [jobs]} allows.
 */
final class JobStartTool {
    static final String NAME = "job_start";
    private static final Set<String> ARGUMENTS =
            Set.of("prompt", "engine", "dir", "model", "sandbox", "approval", "one_shot", "files");

    private final JobService jobs;
    private final Optional<Ledger> ledger;

    JobStartTool(JobService jobs, Optional<Ledger> ledger) {
        this.jobs = jobs;
        this.ledger = ledger;
    }

    McpServerFeatures.SyncToolSpecification specification() {
        return ToolSpecs.declare(
                NAME,
                "Start a background job",
                "Starts Codex or Claude Code in the background on a task and returns the job record at once "
                        + "(id, status). Check on it with job_status or job_output, continue an interactive job "
                        + "with job_send, stop it with job_kill. The job works in dir, inside the hub's roots; "
                        + "what it may change and what it must ask the person about follow sandbox and approval.",
                inputSchema(),
                JobViews.RECORD_SCHEMA,
                new ToolSpecs.Hints(false, true, false, false),
                this::call);
    }

    private String inputSchema() {
        String sandboxes = jobs.settings().sandboxes().stream()
                .map(s -> "\"" + s.wireName() + "\"")
                .collect(Collectors.joining(","));
        String approvals = jobs.settings().approvals().stream()
                .map(a -> "\"" + a.wireName() + "\"")
                .collect(Collectors.joining(","));
        return "{\"type\":\"object\",\"properties\":{"
                + "\"prompt\":{\"type\":\"string\",\"description\":\"What the job should do\"},"
                + "\"engine\":{\"type\":\"string\",\"enum\":[\"codex\",\"claude\"],"
                + "\"description\":\"Which agent runs it (default: the other one than the caller)\"},"
                + "\"dir\":{\"type\":\"string\",\"description\":\"Folder to work in, inside the hub's roots "
                + "(default: the first root)\"},"
                + "\"model\":{\"type\":\"string\",\"description\":\"Model (default: the engine's own)\"},"
                + "\"sandbox\":{\"type\":\"string\",\"enum\":[" + sandboxes + "],\"description\":\"What it may "
                + "change (default: " + jobs.settings().sandbox().wireName() + ")\"},"
                + "\"approval\":{\"type\":\"string\",\"enum\":[" + approvals + "],\"description\":\"on-request: "
                + "the person approves or denies what the job asks (it waits meanwhile); never: it is refused\"},"
                + "\"one_shot\":{\"type\":\"boolean\",\"description\":\"One turn, then the process ends "
                + "(default false: the job takes follow-ups with job_send)\"},"
                + "\"files\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"description\":\"Globs, "
                + "relative to dir, of files whose text is attached to the prompt\"}},"
                + "\"required\":[\"prompt\"],\"additionalProperties\":false}";
    }

    private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        try {
            ToolArgs args = ToolArgs.of(request).only(ARGUMENTS);
            String caller = Caller.of(exchange).engine();
            Engine engine = args.nonBlank("engine").map(JobStartTool::engine).orElse(otherThan(caller));
            JobRequest req = new JobRequest(
                    engine,
                    args.required("prompt"),
                    args.nonBlank("dir"),
                    args.nonBlank("model"),
                    args.nonBlank("sandbox").map(JobStartTool::sandbox),
                    args.nonBlank("approval").map(JobStartTool::approval),
                    args.bool("one_shot", false),
                    args.stringList("files"),
                    "mcp:" + caller);
            return ToolResults.structured(JobViews.record(jobs.start(req), Instant.now(), ledger));
        } catch (JobException | ToolArgs.BadArgument e) {
            return ToolResults.error(e.getMessage());
        }
    }

    /** Returns the engine that is not the caller's, so one agent runs the other; Codex for anyone else. */
    private static Engine otherThan(String caller) {
        return caller.equals("codex") ? Engine.CLAUDE : Engine.CODEX;
    }

    private static Engine engine(String v) {
        try {
            return Engine.of(v);
        } catch (IllegalArgumentException e) {
            throw new ToolArgs.BadArgument(e.getMessage());
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
