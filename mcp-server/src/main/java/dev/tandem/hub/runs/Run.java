package dev.tandem.hub.runs;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A started engine process and what can be done with it. Every method may be called from any thread. */
public interface Run {
    /** Returns the engine process's pid (the leader of its session). */
    long pid();

    /** Returns when the engine process started, so a later hub can tell it from a process that reused its pid. */
    Optional<Instant> startedAt();

    /** Returns whether a turn is under way. */
    boolean turnActive();

    /** Returns whether the process is still there. */
    boolean alive();

    /**
     * Starts a follow-up turn with {@code message}. Thrown {@link RunException} when the run is one-shot, a turn is
     * under way, or the process is gone.
     */
    void send(String message);

    /**
     * Approves or denies the request {@code requestId} the engine waits on. Thrown {@link RunException} when there is
     * no such request (it was answered, withdrawn, or never existed).
     */
    void answer(String requestId, boolean approve);

    /** Stops the current turn; the engine keeps its session (a no-op when no turn is under way). */
    void interrupt();

    /** Ends the process gracefully (closes its input), and kills its tree if it is still there after the grace. */
    void close();

    /** Kills the process tree now and returns once it is gone. */
    void kill();

    /** Completes with the exit code once the process is gone and its last event was reported. */
    CompletableFuture<Integer> exited();
}
