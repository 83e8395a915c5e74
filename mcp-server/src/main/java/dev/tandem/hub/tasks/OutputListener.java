package dev.tandem.hub.tasks;

/** Receives a running task's output line by line; called from the threads reading stdout and stderr. */
@FunctionalInterface
public interface OutputListener {
    /**
     * Receives one line without its line terminator.
     *
     * @param stream {@code stdout} or {@code stderr}
     * @param line the text, cut at 4 KiB
     */
    void line(String stream, String line);
}
