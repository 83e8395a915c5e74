package dev.tandem.hub.memory;

/** Thrown when the memory store cannot do its work (the database failed, or its schema is too new). */
public class MemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MemoryException(String message) {
        super(message);
    }

    public MemoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
