package dev.tandem.hub.mcp;

import dev.tandem.hub.tasks.TaskOutput;
import dev.tandem.hub.tasks.TaskResult;
import dev.tandem.hub.tasks.TaskRunner;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

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
            + "\"hubStopped\":{\"type\":\"boolean\"},\"message\":{\"type\":\"string\"},"
            + "\"stdout\":" + OUTPUT + ",\"stderr\":" + OUTPUT + "},"
            + "\"required\":[\"name\",\"exitCode\",\"durationMillis\",\"timedOut\",\"stdout\",\"stderr\"]}";

    /** At most ten progress notifications a second per task: lines in between go out together. */
    private static final Duration PROGRESS_INTERVAL = Duration.ofMillis(100);

    private static final int PROGRESS_MAX_CHARS = 16 * 1024;

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
                        + "notifications while it runs. A task past its timeout is killed (timedOut: true), and so is "
                        + "a task running when the hub stops (hubStopped: true). "
                        + "Refused while max_concurrent tasks are already running.",
                INPUT_SCHEMA,
                OUTPUT_SCHEMA,
                new ToolSpecs.Hints(false, true, false, true),
                this::call);
    }

    private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        String name = ToolArgs.of(request).requiredNonBlank("name");
        ProgressLines progress = progress(exchange, request.progressToken());
        TaskResult r;
        try {
            r = runner.run(name, progress);
        } finally {
            progress.finish();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", r.name());
        out.put("exitCode", r.exitCode());
        out.put("durationMillis", r.duration().toMillis());
        out.put("timedOut", r.timedOut());
        if (r.hubStopped()) {
            out.put("hubStopped", true);
            out.put(
                    "message",
                    "the hub stopped while task '" + r.name() + "' ran; its processes were ended (exit code "
                            + r.exitCode() + "); run it again once the hub is back");
        }
        out.put("stdout", output(r.stdout()));
        out.put("stderr", output(r.stderr()));
        McpSchema.CallToolResult result = ToolResults.structured(out);
        if (r.exitCode() == 0 && !r.timedOut() && !r.hubStopped()) {
            return result;
        }
        // a failed command is a failed call, so a client (and a task's result) that looks only at isError sees it
        return McpSchema.CallToolResult.builder()
                .content(result.content())
                .structuredContent(out)
                .isError(true)
                .build();
    }

    /** Returns a listener that sends output lines as progress notifications, or ignores them without a token. */
    private static ProgressLines progress(McpSyncServerExchange exchange, Object token) {
        if (token == null) {
            return new ProgressLines((count, message) -> {}, Duration.ZERO, PROGRESS_MAX_CHARS, System::nanoTime);
        }
        BiConsumer<Long, String> send = (count, message) ->
                exchange.progressNotification(McpSchema.ProgressNotification.builder(token, (double) count)
                        .message(message)
                        .build());
        return new ProgressLines(send, PROGRESS_INTERVAL, PROGRESS_MAX_CHARS, System::nanoTime);
    }

    private static Map<String, Object> output(TaskOutput o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", o.text());
        m.put("totalBytes", o.totalBytes());
        m.put("truncated", o.truncated());
        return m;
    }
}
