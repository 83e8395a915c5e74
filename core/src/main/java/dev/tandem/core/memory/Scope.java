package dev.tandem.core.memory;

import java.util.Locale;

/**
 * Who sees a memory: the engine and host that stored it ({@code client}), every engine on the host that stored it
 * ({@code host}), or every caller ({@code shared}).
 */
public enum Scope {
    CLIENT,
    HOST,
    SHARED;

    /** Returns the wire name, {@code client}, {@code host} or {@code shared}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name; thrown {@link InvalidMemoryException} names the input otherwise. */
    public static Scope parse(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "client" -> CLIENT;
            case "host" -> HOST;
            case "shared" -> SHARED;
            default -> throw new InvalidMemoryException("scope '" + value + "' must be 'client', 'host' or 'shared'");
        };
    }
}
