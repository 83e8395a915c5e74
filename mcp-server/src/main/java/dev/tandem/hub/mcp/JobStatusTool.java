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

/** {@code job_status}: one job's record. */
final class JobStatusTool {
    static final String NAME = "job_status";
    static final String ID_SCHEMA = "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\","
            + "\"description\":\"The job's id, as job_start or job_list gave it\"}},\"required\":[\"id\"],"
            + "\"additionalProperties\":false}";

    private final JobService jobs;
    private final Optional<Ledger> ledger;

    JobStatusTool(JobService jobs, Optional<Ledger> ledger) {
        this.jobs = jobs;
        this.ledger = ledger;
    }

    McpServerFeatures.SyncToolSpecification specification() {
        return ToolSpecs.declare(
                NAME,
                "Job status",
                "Returns a background job's record: status (queued, running, waiting on the person, completed, "
                        + "failed, killed, interrupted), tokens, cost, files it modified, its final message "
                        + "(summary), what it waits on (pending) and its error.",
                ID_SCHEMA,
                JobViews.RECORD_SCHEMA,
                ToolSpecs.READ_ONLY,
                this::call);
    }

    private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        try {
            String id = ToolArgs.of(request).requiredNonBlank("id");
            return ToolResults.structured(JobViews.record(jobs.status(id), Instant.now(), ledger));
        } catch (JobException | ToolArgs.BadArgument e) {
            return ToolResults.error(e.getMessage());
        }
    }
}
