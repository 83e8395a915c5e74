package dev.tandem.hub.mcp;

import dev.tandem.core.jobs.JobStatus;
import dev.tandem.hub.jobs.JobService;
import dev.tandem.hub.jobs.JobViews;
import dev.tandem.hub.usage.Ledger;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code job_list}: the newest jobs, optionally only those in some statuses. */
final class JobListTool {
    static final String NAME = "job_list";
    private static final String INPUT_SCHEMA = "{\"type\":\"object\",\"properties\":{"
            + "\"limit\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":500,\"description\":\"At most this many "
            + "(default 50)\"},"
            + "\"status\":{\"type\":\"array\",\"items\":{\"type\":\"string\",\"enum\":[\"queued\",\"running\","
            + "\"waiting\",\"completed\",\"failed\",\"killed\",\"interrupted\"]},\"description\":\"Only jobs in "
            + "these statuses\"}},\"additionalProperties\":false}";
    private static final String OUTPUT_SCHEMA =
            "{\"type\":\"object\",\"properties\":{\"jobs\":{\"type\":\"array\",\"items\":" + JobViews.RECORD_SCHEMA
                    + "}},\"required\":[\"jobs\"]}";

    private final JobService jobs;
    private final Optional<Ledger> ledger;

    JobListTool(JobService jobs, Optional<Ledger> ledger) {
        this.jobs = jobs;
        this.ledger = ledger;
    }

    McpServerFeatures.SyncToolSpecification specification() {
        return ToolSpecs.declare(
                NAME,
                "List jobs",
                "Lists background jobs, newest first, with the same record job_status returns.",
                INPUT_SCHEMA,
                OUTPUT_SCHEMA,
                ToolSpecs.READ_ONLY,
                this::call);
    }

    private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        try {
            ToolArgs args = ToolArgs.of(request);
            int limit = args.integer("limit", 50, 1, 500);
            List<JobStatus> statuses = new ArrayList<>();
            for (String s : args.stringList("status")) {
                try {
                    statuses.add(JobStatus.of(s));
                } catch (IllegalArgumentException e) {
                    throw new ToolArgs.BadArgument("status: " + e.getMessage());
                }
            }
            Instant now = Instant.now();
            return ToolResults.structured(Map.of(
                    "jobs",
                    jobs.list(limit, statuses).stream()
                            .map(j -> JobViews.record(j, now, ledger))
                            .toList()));
        } catch (ToolArgs.BadArgument e) {
            return ToolResults.error(e.getMessage());
        }
    }
}
