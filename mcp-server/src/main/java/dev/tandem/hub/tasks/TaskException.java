package dev.tandem.hub.tasks;

/** Thrown when a task cannot be run for a reason the caller can fix (unknown name, busy, bad cwd); one line. */
public final class TaskException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TaskException(String message) {
        super(message);
    }

    public TaskException(String message, Throwable cause) {
        super(message, cause);
    }
}
