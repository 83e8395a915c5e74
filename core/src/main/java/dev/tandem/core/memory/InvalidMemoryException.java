package dev.tandem.core.memory;

/** Thrown when an input is wrong in a way the caller can fix; the message names the input. */
public final class InvalidMemoryException extends MemoryException {
    private static final long serialVersionUID = 1L;

    public InvalidMemoryException(String message) {
        super(message);
    }
}
