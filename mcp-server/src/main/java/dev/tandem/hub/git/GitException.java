package dev.tandem.hub.git;

/** Thrown when a git request cannot be served for a reason the caller can fix; the message is one line. */
public final class GitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GitException(String message) {
        super(message);
    }

    public GitException(String message, Throwable cause) {
        super(message, cause);
    }
}
