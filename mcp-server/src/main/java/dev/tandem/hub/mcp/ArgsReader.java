package dev.tandem.hub.mcp;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import java.util.Optional;

/** Reads typed tool arguments; a wrong type or range fails with a message naming the argument. */
final class ArgsReader {
    private final Map<String, Object> args;

    ArgsReader(McpSchema.CallToolRequest request) {
        this.args = request.arguments() == null ? Map.of() : request.arguments();
    }

    /** Returns a string argument; absent or blank means empty. */
    Optional<String> string(String key) {
        Object v = args.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof String s)) {
            throw new BadArgument("'" + key + "' must be a string");
        }
        return s.isBlank() ? Optional.empty() : Optional.of(s);
    }

    /** Returns a required, non-blank string argument. */
    String required(String key) {
        return string(key).orElseThrow(() -> new BadArgument("'" + key + "' is required"));
    }

    /** Returns a whole-number argument within {@code [min, max]}, or {@code fallback} when absent. */
    int integer(String key, int fallback, int min, int max) {
        Object v = args.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new BadArgument("'" + key + "' must be a whole number");
        }
        long value = n.longValue();
        if (value < min || value > max) {
            throw new BadArgument("'" + key + "' must be between " + min + " and " + max + ", got " + value);
        }
        return (int) value;
    }

    /** Returns a boolean argument, false when absent. */
    boolean bool(String key) {
        Object v = args.get(key);
        if (v == null) {
            return false;
        }
        if (!(v instanceof Boolean b)) {
            throw new BadArgument("'" + key + "' must be true or false");
        }
        return b;
    }

    /** Thrown when an argument has the wrong type or range; the message names it. */
    static final class BadArgument extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadArgument(String message) {
            super(message);
        }
    }
}
