package dev.tandem.hub.usage;

/**
 * Thrown when a usage report cannot be made for a reason the person can fix: a bad date or engine, a price table
 * entry that is not a price, or a log folder that cannot be read. The message is one line naming the input.
 */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
