package dev.tandem.hub.mcp;

import dev.tandem.hub.memory.InvalidMemoryException;
import dev.tandem.hub.memory.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads memory tool arguments; a wrong one is an {@link InvalidMemoryException} naming it. */
final class MemoryArgs {
    private final Map<String, Object> args;

    MemoryArgs(Map<String, Object> args) {
        this.args = args == null ? Map.of() : args;
    }

    boolean has(String name) {
        return args.get(name) != null;
    }

    String required(String name) {
        return optional(name).orElseThrow(() -> new InvalidMemoryException(name + " is required"));
    }

    Optional<String> optional(String name) {
        Object v = args.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof String s)) {
            throw new InvalidMemoryException(name + " must be a string");
        }
        return Optional.of(s);
    }

    /** Returns tags given as an array of strings, or leniently as one comma-separated string. */
    List<String> tags() {
        Object v = args.get("tags");
        if (v == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (v instanceof String s) {
            for (String t : s.split(",", -1)) {
                if (!t.isBlank()) {
                    out.add(t);
                }
            }
            return out;
        }
        if (!(v instanceof List<?> list)) {
            throw new InvalidMemoryException("tags must be an array of strings");
        }
        for (Object t : list) {
            if (!(t instanceof String s)) {
                throw new InvalidMemoryException("tags must be an array of strings");
            }
            out.add(s);
        }
        return out;
    }

    Optional<Scope> scope() {
        return optional("scope").filter(s -> !s.isBlank()).map(Scope::parse);
    }

    Optional<Integer> integer(String name, int min, int max) {
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
            throw new InvalidMemoryException(name + " must be a whole number");
        }
        if (n < min || n > max) {
            throw new InvalidMemoryException(name + " must be between " + min + " and " + max + ", got " + n);
        }
        return Optional.of((int) n);
    }
}
