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

/** {@code job_kill}: stops a job and everything its engine started. */
final class JobKillTool {
    static final String NAME = "job_kill";

    private final JobService jobs;
    private final Optional<Ledger> ledger;

    JobKillTool(JobService jobs, Optional<Ledger> ledger) {
        this.jobs = jobs;
        this.ledger = ledger;
    }

    McpServerFeatures.SyncToolSpecification specification() {
        return ToolSpecs.declare(
                NAME,
                "Kill a job",
                "Stops a background job: a queued one leaves the queue; a running one's engine and every process "
                        + "it started get SIGTERM, then SIGKILL. Returns the record once nothing of it runs.",
                JobStatusTool.ID_SCHEMA,
                JobViews.RECORD_SCHEMA,
                new ToolSpecs.Hints(false, true, true, false),
                this::call);
    }

    private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        try {
            String id = ToolArgs.of(request).requiredNonBlank("id");
            return ToolResults.structured(JobViews.record(jobs.kill(id), Instant.now(), ledger));
        } catch (JobException | ToolArgs.BadArgument e) {
            return ToolResults.error(e.getMessage());
        }
    }
}
