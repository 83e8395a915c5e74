package dev.tandem.core.memory;

import java.util.Objects;

/**
 * The caller a memory operation runs for: its engine ({@code codex}, {@code claude}, {@code other}) and host.
 *
 * <p>A {@code client} memory is visible only to the owner with the same engine and host, and to the person
 * ({@link #person}, engine {@value #EVERY_ENGINE}), who sees every memory in the store from the dashboard.
 */
public record Owner(String engine, String host) {
    /** The engine of the person's owner, who sees every memory. */
    public static final String EVERY_ENGINE = "*";

    public Owner {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(host, "host");
    }

    /** Returns the person at the dashboard, who may see (and delete) every memory. */
    public static Owner person(String host) {
        return new Owner(EVERY_ENGINE, host);
    }

    /** Returns whether this owner sees every memory. */
    public boolean seesAll() {
        return engine.equals(EVERY_ENGINE);
    }
}
