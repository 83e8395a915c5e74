package dev.tandem.hub.mcp;

import dev.tandem.hub.jobs.JobException;
import dev.tandem.hub.jobs.JobService;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code job_output}: the end of a job's output (messages, commands, file changes, approvals), redacted. */
final class JobOutputTool {
    static final String NAME = "job_output";
    private static final String INPUT_SCHEMA = "{\"type\":\"object\",\"properties\":{"
            + "\"id\":{\"type\":\"string\",\"description\":\"The job's id\"},"
            + "\"lines\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":2000,\"description\":\"How many of the "
            + "last lines (default 100)\"}},\"required\":[\"id\"],\"additionalProperties\":false}";
    private static final String OUTPUT_SCHEMA = "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"},"
            + "\"lines\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}},\"required\":[\"id\",\"lines\"]}";

    private final JobService jobs;

    JobOutputTool(JobService jobs) {
        this.jobs = jobs;
    }

    McpServerFeatures.SyncToolSpecification specification() {
        return ToolSpecs.declare(
                NAME,
                "Job output",
                "Returns the last lines of a background job's output: what the agent said, the commands it "
                        + "ran, the files it changed, what it asked approval for. Secrets are redacted.",
                INPUT_SCHEMA,
                OUTPUT_SCHEMA,
                ToolSpecs.READ_ONLY,
                this::call);
    }

    private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        try {
            ToolArgs args = ToolArgs.of(request);
            String id = args.requiredNonBlank("id");
            List<String> lines = jobs.output(id, args.integer("lines", 100, 1, 2000));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", id);
            out.put("lines", lines);
            return ToolResults.structured(out);
        } catch (JobException | ToolArgs.BadArgument e) {
            return ToolResults.error(e.getMessage());
        }
    }
}
