package dev.tandem.core.usage;

import java.util.Objects;

/**
 * How many damaged responses ({@link DamagedResponse}) one host's logs of one engine hold in a time range.
 *
 * @param host the machine whose logs named them
 * @param engine {@code codex} or {@code claude}
 * @param responses how many, each counted once
 */
public record DamagedCount(String host, String engine, long responses) {
    public DamagedCount {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(engine, "engine");
    }
}
