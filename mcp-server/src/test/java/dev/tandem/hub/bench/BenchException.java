package dev.tandem.hub.bench;

/** Thrown when a server under test answers wrongly or a benchmark step cannot go on. */
final class BenchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BenchException(String message) {
        super(message);
    }

    BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
