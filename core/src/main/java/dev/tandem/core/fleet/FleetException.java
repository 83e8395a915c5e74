package dev.tandem.core.fleet;

/** A fleet request the person can fix: an unknown or duplicate host name, a store without the fleet. */
public final class FleetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FleetException(String message) {
        super(message);
    }
}
