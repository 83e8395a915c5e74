package dev.tandem.hub.runs;

/**
 * Receives a run's events, in order, on the run's reader thread: it must return quickly and never block on the
 * run itself. Every event is already redacted.
 */
@FunctionalInterface
public interface RunListener {
    void onEvent(RunEvent event);
}
