package dev.tandem.hub.runs;

/** Thrown when a run cannot start or cannot do what was asked of it; the message says why in one line. */
public final class RunException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RunException(String message) {
        super(message);
    }

    public RunException(String message, Throwable cause) {
        super(message, cause);
    }
}
