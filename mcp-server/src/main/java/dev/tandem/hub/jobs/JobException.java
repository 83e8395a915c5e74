package dev.tandem.hub.jobs;

/** Thrown when a job request cannot be done; {@link #reason()} says how an edge should answer. */
public final class JobException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why: the edges map these to HTTP statuses and MCP errors. */
    public enum Reason {
        /** No such job. */
        NOT_FOUND,
        /** The request is wrong: a bad argument, a refused setting, a path outside the roots. */
        INVALID,
        /** The job is not in a state that allows this (sending to a running job, resuming a completed one). */
        CONFLICT,
        /** The queue is full. */
        BUSY,
        /** Jobs are turned off, or the engine's binary cannot be found. */
        UNAVAILABLE
    }

    private final Reason reason;

    public JobException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
