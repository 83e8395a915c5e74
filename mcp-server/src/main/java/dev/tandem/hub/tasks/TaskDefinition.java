package dev.tandem.hub.tasks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A named command from {@code [tasks.NAME]}: run without a shell, in a folder inside a root.
 *
 * @param name the task's name
 * @param description what it does, for {@code task_list}
 * @param argv the program and its arguments
 * @param cwd where it runs (checked against the roots again at each run)
 * @param timeout how long it may run before SIGTERM, then SIGKILL
 * @param env names of hub environment variables passed through; nothing else is
 * @param outputCapBytes how much of the end of stdout and of stderr is kept
 */
public record TaskDefinition(
        String name,
        String description,
        List<String> argv,
        Path cwd,
        Duration timeout,
        List<String> env,
        int outputCapBytes) {
    public TaskDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(cwd, "cwd");
        Objects.requireNonNull(timeout, "timeout");
        argv = List.copyOf(argv);
        env = List.copyOf(env);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must not be empty");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        if (outputCapBytes < 1) {
            throw new IllegalArgumentException("outputCapBytes must be positive");
        }
    }
}
