package dev.tandem.core.fleet;

/** Thrown when fleet content is refused: a path outside {@code clients/}, a link, a file too large, a bad hash. */
public final class FleetContentException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FleetContentException(String message) {
        super(message);
    }
}
