package dev.tandem.hub.mcp;

import dev.tandem.core.config.HubConfig;
import dev.tandem.hub.tasks.TaskRunner;
import dev.tandem.hub.tasks.TaskSettings;
import io.modelcontextprotocol.server.McpServerFeatures;
import java.util.List;

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

    @Override
    public List<McpServerFeatures.SyncToolSpecification> tools() {
        return List.of(new TaskListTool(runner).specification(), new TaskRunTool(runner).specification());
    }
}
