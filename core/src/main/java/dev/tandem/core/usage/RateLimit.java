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
 */
public record RateLimit(
        String engine,
        String name,
        double usedPercent,
        int windowMinutes,
        Optional<Instant> resetsAt,
        Instant observedAt) {
    public RateLimit {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(resetsAt, "resetsAt");
        Objects.requireNonNull(observedAt, "observedAt");
    }
}
