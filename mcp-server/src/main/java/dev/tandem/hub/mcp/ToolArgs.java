package dev.tandem.hub.mcp;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a tool call's arguments for every tool. A missing or mistyped argument is a mistake the model can fix: it
 * is thrown as {@link BadArgument}, whose message names the argument, and the tool answers {@code isError}.
 */
final class ToolArgs {
    private final Map<String, Object> args;

    ToolArgs(Map<String, Object> args) {
        this.args = args == null ? Map.of() : args;
    }

    static ToolArgs of(McpSchema.CallToolRequest request) {
        return new ToolArgs(request.arguments());
    }

    /** Thrown when an argument is missing or has the wrong type or range; the message names it. */
    static final class BadArgument extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadArgument(String message) {
            super(message);
        }
    }

    /** Refuses any argument not in {@code known}: a tool that acts on the machine takes nothing it did not declare. */
    ToolArgs only(java.util.Set<String> known) {
        for (String name : args.keySet()) {
            if (!known.contains(name)) {
                throw new BadArgument("unknown argument '" + name + "' (this tool takes "
                        + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        }
        return this;
    }

    boolean has(String name) {
        return args.get(name) != null;
    }

    /** Returns a string argument as given (possibly blank), or empty when absent. */
    Optional<String> optional(String name) {
        Object v = args.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof String s)) {
            throw new BadArgument(name + " must be a string, got " + v);
        }
        return Optional.of(s);
    }

    /** Returns a string argument, treating a blank one as absent. */
    Optional<String> nonBlank(String name) {
        return optional(name).filter(s -> !s.isBlank());
    }

    /** Returns a string argument that must be present (it may be blank). */
    String required(String name) {
        return optional(name).orElseThrow(() -> new BadArgument(name + " is required"));
    }

    /** Returns a string argument that must be present and not blank. */
    String requiredNonBlank(String name) {
        return nonBlank(name).orElseThrow(() -> new BadArgument(name + " is required"));
    }

    /** Returns a whole number (a JSON number or a numeric string), or empty when absent. */
    Optional<Integer> optionalInt(String name) {
        return optionalInt(name, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** Returns a whole number within {@code [min, max]}, or empty when absent. */
    Optional<Integer> optionalInt(String name, int min, int max) {
        Object v = args.get(name);
        if (v == null) {
            return Optional.empty();
        }
        long n;
        if (v instanceof Number num && num.doubleValue() == Math.rint(num.doubleValue())) {
            n = num.longValue();
        } else if (v instanceof String s && s.strip().matches("-?\\d{1,10}")) {
            n = Long.parseLong(s.strip());
        } else {
            throw new BadArgument(name + " must be a whole number, got " + v);
        }
        if (n < min || n > max) {
            throw new BadArgument(name + " must be between " + min + " and " + max + ", got " + n);
        }
        return Optional.of((int) n);
    }

    int integer(String name, int fallback) {
        return optionalInt(name).orElse(fallback);
    }

    int integer(String name, int fallback, int min, int max) {
        return optionalInt(name, min, max).orElse(fallback);
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

    /** Returns an array of strings, or leniently one comma-separated string; empty when absent. */
    List<String> stringList(String name) {
        Object v = args.get(name);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (v instanceof String s) {
            for (String t : s.split(",", -1)) {
                if (!t.isBlank()) {
                    out.add(t);
                }
            }
            return out;
        }
        if (!(v instanceof List<?> list)) {
            throw new BadArgument(name + " must be an array of strings");
        }
        for (Object t : list) {
            if (!(t instanceof String s)) {
                throw new BadArgument(name + " must be an array of strings");
            }
            out.add(s);
        }
        return out;
    }
}
