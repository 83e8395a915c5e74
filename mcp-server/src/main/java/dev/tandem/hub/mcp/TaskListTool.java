package dev.tandem.hub.mcp;

import dev.tandem.hub.tasks.TaskRunner;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code task_list}: the named tasks the hub's configuration defines. */
final class TaskListTool {
    static final String NAME = "task_list";
    private static final String OUTPUT_SCHEMA = "{\"type\":\"object\",\"properties\":{"
            + "\"maxConcurrent\":{\"type\":\"integer\"},"
            + "\"tasks\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
            + "\"name\":{\"type\":\"string\"},\"description\":{\"type\":\"string\"},"
            + "\"argv\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},\"cwd\":{\"type\":\"string\"},"
            + "\"timeoutSeconds\":{\"type\":\"integer\"},\"outputKib\":{\"type\":\"integer\"},"
            + "\"env\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}}}},"
            + "\"required\":[\"tasks\"]}";

    private final TaskRunner runner;

    TaskListTool(TaskRunner runner) {
        this.runner = runner;
    }

    McpServerFeatures.SyncToolSpecification specification() {
        return ToolSpecs.declare(
                NAME,
                "List tasks",
                "Lists the named tasks (build, test, package, …) the person configured in the hub: "
                        + "command line, folder, timeout. Run one with task_run.",
                ToolSpecs.NO_ARGUMENTS,
                OUTPUT_SCHEMA,
                ToolSpecs.READ_ONLY,
                this::call);
    }

    private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        List<Map<String, Object>> tasks = runner.list().stream()
                .map(t -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", t.name());
                    m.put("description", t.description());
                    m.put("argv", t.argv());
                    m.put("cwd", t.cwd().toString());
                    m.put("timeoutSeconds", t.timeout().toSeconds());
                    m.put("outputKib", t.outputCapBytes() / 1024);
                    m.put("env", t.env());
                    return m;
                })
                .toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("maxConcurrent", runner.settings().maxConcurrent());
        out.put("tasks", tasks);
        return ToolResults.structured(out);
    }
}
