package dev.tandem.core.memory;

/** Thrown when an id names no memory the caller can see. */
public final class MemoryNotFoundException extends MemoryException {
    private static final long serialVersionUID = 1L;

    public MemoryNotFoundException(String id) {
        super("no memory with id '" + id + "' (it may be deleted, or another client's)");
    }
}
