package dev.tandem.hub.fs;

/** Thrown when an fs operation cannot be done; the message is one line naming the path and the reason. */
public class FsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FsException(String message) {
        super(message);
    }

    public FsException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Returns {@code input} fit for a one-line message: control characters escaped, at most 160 characters. */
    static String show(String input) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < input.length() && b.length() < 160; i++) {
            char c = input.charAt(i);
            if (c == 0) {
                b.append("\\0");
            } else if (c < 0x20 || c == 0x7f) {
                b.append(String.format(java.util.Locale.ROOT, "\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        if (b.length() >= 160 && input.length() > 160) {
            b.append("…(").append(input.length()).append(" chars)");
        }
        return b.toString();
    }
}
