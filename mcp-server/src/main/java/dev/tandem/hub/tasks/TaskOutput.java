package dev.tandem.hub.tasks;

import java.util.Objects;

/**
 * The end of one output stream of a task.
 *
 * @param text the last bytes kept, decoded as UTF-8
 * @param totalBytes how many bytes the task wrote in all
 * @param truncated whether the start was dropped to stay within the cap
 */
public record TaskOutput(String text, long totalBytes, boolean truncated) {
    public TaskOutput {
        Objects.requireNonNull(text, "text");
    }
}
