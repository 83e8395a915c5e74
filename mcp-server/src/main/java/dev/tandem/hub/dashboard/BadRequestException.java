package dev.tandem.hub.dashboard;

/** Thrown when a query parameter is malformed or out of range; answered with 400 and the message. */
final class BadRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRequestException(String message) {
        super(message);
    }
}
