package dev.tandem.core.memory;

/**
 * Thrown when a memory request cannot be served as asked: the input is wrong ({@link InvalidMemoryException}) or
 * names no memory the caller can see ({@link MemoryNotFoundException}). A failing database is a {@code
 * StoreException} instead.
 */
public class MemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MemoryException(String message) {
        super(message);
    }

    public MemoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
