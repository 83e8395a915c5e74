package dev.tandem.core.store;

/**
 * Thrown when the store cannot do its work: the database is missing, locked, unreadable or of a schema this Tandem
 * does not know, or a statement failed. The message names the file.
 */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
