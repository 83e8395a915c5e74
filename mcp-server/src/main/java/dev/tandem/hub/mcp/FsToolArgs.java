package dev.tandem.hub.mcp;

import java.util.Map;
import java.util.Optional;

/**
 * Reads a tool call's arguments; a wrong type is a mistake the model can fix, reported as {@link BadArgument}.
 */
final class FsToolArgs {
    private final Map<String, Object> args;

    FsToolArgs(Map<String, Object> args) {
        this.args = args == null ? Map.of() : args;
    }

    /** Thrown when an argument is missing or of the wrong type; the message names it. */
    static final class BadArgument extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadArgument(String message) {
            super(message);
        }
    }

    String string(String name) {
        return optionalString(name).orElseThrow(() -> new BadArgument(name + " is required"));
    }

    Optional<String> optionalString(String name) {
        Object v = args.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof String s)) {
            throw new BadArgument(name + " must be a string, got " + v);
        }
        return Optional.of(s);
    }

    Optional<Integer> optionalInt(String name) {
        Object v = args.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Number n
                && n.doubleValue() == Math.rint(n.doubleValue())
                && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE) {
            return Optional.of(n.intValue());
        }
        throw new BadArgument(name + " must be an integer, got " + v);
    }

    int integer(String name, int fallback) {
        return optionalInt(name).orElse(fallback);
    }

    boolean bool(String name, boolean fallback) {
        Object v = args.get(name);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Boolean b)) {
            throw new BadArgument(name + " must be true or false, got " + v);
        }
        return b;
    }
}
