package dev.tandem.hub.mcp;

import dev.tandem.core.config.HubConfig;
import dev.tandem.hub.tasks.TaskDefinition;
import dev.tandem.hub.tasks.TaskRunner;
import dev.tandem.hub.tasks.TaskSettings;
import io.modelcontextprotocol.server.McpServerFeatures;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The named tasks of {@code [tasks.NAME]}: {@code task_list} and {@code task_run}. */
public final class TaskCapability implements Capability {
    private final TaskRunner runner;

    public TaskCapability(TaskRunner runner) {
        this.runner = runner;
    }

    /** Creates the capability from {@code [tasks]} of the configuration; tasks see only allow-listed variables. */
    public static TaskCapability create(HubConfig config) {
        TaskSettings settings = TaskSettings.from(config.reader("tasks"), config.roots());
        return new TaskCapability(new TaskRunner(settings, config.roots(), System.getenv()));
    }

    @Override
    public String name() {
        return "tasks";
    }

    /** {@code task_run} keeps its own limit: the longest task timeout, plus the kill grace and a minute. */
    @Override
    public Map<String, Duration> ownDeadlines() {
        Duration longest = runner.settings().tasks().values().stream()
                .map(TaskDefinition::timeout)
                .max(Duration::compareTo)
                .orElse(Duration.ZERO);
        return Map.of(
                TaskRunTool.NAME, longest.plus(runner.settings().killGrace()).plusMinutes(1));
    }

    /** Ends every running task's process tree before the hub stops answering. */
    @Override
    public void stopping() {
        runner.stopAll();
    }

    /** A hub that failed to start, or closes without {@link #stopping()}, still leaves no task running. */
    @Override
    public void close() {
        runner.stopAll();
    }

    @Override
    public java.util.Set<String> taskTools() {
        return java.util.Set.of(TaskRunTool.NAME);
    }

    @Override
    public List<McpServerFeatures.SyncToolSpecification> tools() {
        return List.of(new TaskListTool(runner).specification(), new TaskRunTool(runner).specification());
    }
}
