package dev.tandem.core.memory;

import java.util.Locale;

/** Who sees a memory: the engine and host that stored it ({@code client}), or every caller ({@code shared}). */
public enum Scope {
    CLIENT,
    SHARED;

    /** Returns the wire name, {@code client} or {@code shared}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code client} or {@code shared}; thrown {@link InvalidMemoryException} names the input otherwise. */
    public static Scope parse(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "client" -> CLIENT;
            case "shared" -> SHARED;
            default -> throw new InvalidMemoryException("scope '" + value + "' must be 'client' or 'shared'");
        };
    }
}
