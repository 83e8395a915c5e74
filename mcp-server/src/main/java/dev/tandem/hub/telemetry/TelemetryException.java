package dev.tandem.hub.telemetry;

/** Thrown when the telemetry store cannot be opened, read or written, or its settings are wrong. */
public final class TelemetryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TelemetryException(String message) {
        super(message);
    }

    public TelemetryException(String message, Throwable cause) {
        super(message, cause);
    }
}
