package dev.tandem.hub.mcp;

import dev.tandem.hub.jobs.JobException;
import dev.tandem.hub.jobs.JobService;
import dev.tandem.hub.jobs.JobViews;
import dev.tandem.hub.usage.Ledger;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Instant;
import java.util.Optional;

/** {@code job_send}: a follow-up turn to an interactive job whose last turn has ended. */
final class JobSendTool {
    static final String NAME = "job_send";
    private static final String INPUT_SCHEMA = "{\"type\":\"object\",\"properties\":{"
            + "\"id\":{\"type\":\"string\",\"description\":\"The job's id\"},"
            + "\"message\":{\"type\":\"string\",\"description\":\"The follow-up\"}},"
            + "\"required\":[\"id\",\"message\"],\"additionalProperties\":false}";

    private final JobService jobs;
    private final Optional<Ledger> ledger;

    JobSendTool(JobService jobs, Optional<Ledger> ledger) {
        this.jobs = jobs;
        this.ledger = ledger;
    }

    McpServerFeatures.SyncToolSpecification specification() {
        return ToolSpecs.declare(
                NAME,
                "Send to a job",
                "Sends a follow-up message to an interactive background job whose last turn has ended; the job "
                        + "runs another turn in the same engine session (an interrupted job is resumed).",
                INPUT_SCHEMA,
                JobViews.RECORD_SCHEMA,
                new ToolSpecs.Hints(false, true, false, false),
                this::call);
    }

    private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        try {
            ToolArgs args = ToolArgs.of(request).only(java.util.Set.of("id", "message"));
            return ToolResults.structured(JobViews.record(
                    jobs.send(args.requiredNonBlank("id"), args.required("message")), Instant.now(), ledger));
        } catch (JobException | ToolArgs.BadArgument e) {
            return ToolResults.error(e.getMessage());
        }
    }
}
