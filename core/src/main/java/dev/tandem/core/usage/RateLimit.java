package dev.tandem.core.usage;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A rate-limit window as the engine reported it (Codex: {@code rate_limits.primary} is the 5-hour window,
 * {@code secondary} the weekly one).
 *
 * @param engine the engine
 * @param name the window's name in the log ({@code primary}, {@code secondary})
 * @param usedPercent how much of the window is used, 0 to 100
 * @param windowMinutes the window's length
 * @param resetsAt when it resets, if reported
 * @param observedAt the timestamp of the log line that reported it
 * @param host the host whose logs reported it, as the ledger stores it; {@code ""} as a reader makes it (the
 *     ledger records it under its own host, never the one given here)
 */
public record RateLimit(
        String engine,
        String name,
        double usedPercent,
        int windowMinutes,
        Optional<Instant> resetsAt,
        Instant observedAt,
        String host) {
    public RateLimit {
        host = host == null ? "" : host;
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(resetsAt, "resetsAt");
        Objects.requireNonNull(observedAt, "observedAt");
    }

    /** A window as a reader finds it in a log: no host yet. */
    public RateLimit(
            String engine,
            String name,
            double usedPercent,
            int windowMinutes,
            Optional<Instant> resetsAt,
            Instant observedAt) {
        this(engine, name, usedPercent, windowMinutes, resetsAt, observedAt, "");
    }
}
