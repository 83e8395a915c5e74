package dev.tandem.sync.engine;

import java.nio.file.Path;

/**
 * Thrown when a source or target file cannot be parsed or would be damaged: the command stops with exit 2 and
 * nothing is written.
 *
 * <p>The message has the form {@code <file>:<line>:<col>: <problem>} (line and column when known).
 */
public final class InputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Returns an exception located at a line and column of a file (1-based). */
    public static InputException at(Path file, int line, int column, String problem) {
        return new InputException(file + ":" + line + ":" + column + ": " + problem);
    }

    /** Returns an exception about a whole file. */
    public static InputException of(Path file, String problem) {
        return new InputException(file + ": " + problem);
    }
}
