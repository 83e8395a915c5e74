package dev.tandem.hub.mcp;

import dev.tandem.hub.tasks.OutputListener;
import dev.tandem.hub.tasks.TaskException;
import dev.tandem.hub.tasks.TaskOutput;
import dev.tandem.hub.tasks.TaskResult;
import dev.tandem.hub.tasks.TaskRunner;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code task_run}: runs a named task; its output lines stream as progress notifications while it runs. */
final class TaskRunTool {
    static final String NAME = "task_run";
    private static final String INPUT_SCHEMA = "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\","
            + "\"description\":\"The task's name, as task_list shows it\"}},\"required\":[\"name\"],"
            + "\"additionalProperties\":false}";
    private static final String OUTPUT = "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"},"
            + "\"totalBytes\":{\"type\":\"integer\"},\"truncated\":{\"type\":\"boolean\"}}}";
    private static final String OUTPUT_SCHEMA = "{\"type\":\"object\",\"properties\":{"
            + "\"name\":{\"type\":\"string\"},\"exitCode\":{\"type\":\"integer\"},"
            + "\"durationMillis\":{\"type\":\"integer\"},\"timedOut\":{\"type\":\"boolean\"},"
            + "\"stdout\":" + OUTPUT + ",\"stderr\":" + OUTPUT + "},"
            + "\"required\":[\"name\",\"exitCode\",\"durationMillis\",\"timedOut\",\"stdout\",\"stderr\"]}";

    private final TaskRunner runner;

    TaskRunTool(TaskRunner runner) {
        this.runner = runner;
    }

    McpServerFeatures.SyncToolSpecification specification() {
        // a task may do anything its command does (install, delete, deploy)
        return ToolSpecs.declare(
                NAME,
                "Run task",
                "Runs a named task from the hub's configuration (see task_list) and returns its exit "
                        + "code, duration and the end of stdout and stderr. Output lines arrive as progress "
                        + "notifications while it runs. A task past its timeout is killed (timedOut: true). "
                        + "Refused while max_concurrent tasks are already running.",
                INPUT_SCHEMA,
                OUTPUT_SCHEMA,
                new ToolSpecs.Hints(false, true, false, true),
                this::call);
    }

    private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        try {
            String name = ToolArgs.of(request).requiredNonBlank("name");
            TaskResult r = runner.run(name, progress(exchange, request.progressToken()));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("name", r.name());
            out.put("exitCode", r.exitCode());
            out.put("durationMillis", r.duration().toMillis());
            out.put("timedOut", r.timedOut());
            out.put("stdout", output(r.stdout()));
            out.put("stderr", output(r.stderr()));
            return ToolResults.structured(out);
        } catch (TaskException | ToolArgs.BadArgument e) {
            return ToolResults.error(e.getMessage());
        }
    }

    /** Returns a listener that sends each line as a progress notification, or ignores lines without a token. */
    private static OutputListener progress(McpSyncServerExchange exchange, Object token) {
        if (token == null) {
            return (stream, line) -> {};
        }
        Object lock = new Object();
        long[] count = {0};
        return (stream, line) -> {
            // stdout and stderr arrive on two threads; progress must rise and the stream is written one at a time
            synchronized (lock) {
                count[0]++;
                exchange.progressNotification(McpSchema.ProgressNotification.builder(token, (double) count[0])
                        .message(stream + ": " + line)
                        .build());
            }
        };
    }

    private static Map<String, Object> output(TaskOutput o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", o.text());
        m.put("totalBytes", o.totalBytes());
        m.put("truncated", o.truncated());
        return m;
    }
}
