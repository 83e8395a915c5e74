package dev.tandem.core.cli;

import java.io.UncheckedIOException;

/**
 * The one line every Tandem command prints when it fails ({@code tandem: <problem>}, exit 2), so the hub's and the
 * sync tool's command-line handlers cannot drift apart. Never a stack trace.
 */
public final class ErrorLine {
    private ErrorLine() {}

    /**
     * Returns {@code tandem: <problem>}. Tandem's own exceptions and {@link UncheckedIOException} carry a message
     * written for the person (naming the file, line or flag). Anything else is a surprise: it is reported as one,
     * with its message but never a Java class name, which would tell the person nothing.
     */
    public static String of(Throwable e) {
        // a message may name a file an agent chose the name of: no control character of it acts on the terminal
        String message =
                e.getMessage() == null ? "" : TerminalText.lines(e.getMessage().strip());
        boolean ours = e.getClass().getName().startsWith("dev.tandem.") || e instanceof UncheckedIOException;
        if (ours && !message.isEmpty()) {
            return "tandem: " + message;
        }
        return "tandem: unexpected failure" + (message.isEmpty() ? "" : ": " + message)
                + " (please report it, with the command that caused it)";
    }
}
