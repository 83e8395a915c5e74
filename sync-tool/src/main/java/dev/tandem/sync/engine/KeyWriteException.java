package dev.tandem.sync.engine;

/**
 * Thrown when key files a plan names could not be written after the rest of the plan was: the message names each key
 * file and its cause (never a key), and says that the files listed before it were written. The command exits 2.
 */
public final class KeyWriteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KeyWriteException(String message) {
        super(message);
    }
}
