package dev.tandem.hub.tasks;

import java.time.Duration;
import java.util.Objects;

/**
 * How a task run ended.
 *
 * @param name the task
 * @param exitCode the process's exit code (143 or 137 after a timeout or the hub's stop killed it)
 * @param duration wall-clock time from start to exit
 * @param timedOut whether the timeout fired and the process tree was killed
 * @param hubStopped whether the hub's stop killed the process tree
 * @param stdout the end of standard output
 * @param stderr the end of standard error
 */
public record TaskResult(
        String name,
        int exitCode,
        Duration duration,
        boolean timedOut,
        boolean hubStopped,
        TaskOutput stdout,
        TaskOutput stderr) {
    public TaskResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
    }
}
