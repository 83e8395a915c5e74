package dev.tandem.hub.http;

/**
 * Thrown by the handler of an open path of a {@link GuardedArea} when the request's own credential is wrong; the
 * edge answers it like any other refused request (slowed down after repeated failures, then the area's 401).
 */
public final class UnauthorizedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnauthorizedException(String message) {
        super(message);
    }
}
