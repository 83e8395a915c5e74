package dev.tandem.hub.memory;

import java.util.Objects;

/**
 * The caller a memory operation runs for: its engine ({@code codex}, {@code claude}, {@code other}) and host.
 *
 * <p>A {@code client} memory is visible only to the owner with the same engine and host.
 */
public record Owner(String engine, String host) {
    public Owner {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(host, "host");
    }
}
