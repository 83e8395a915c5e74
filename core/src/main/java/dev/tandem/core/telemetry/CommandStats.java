package dev.tandem.core.telemetry;

import java.time.Instant;
import java.util.Objects;

/**
 * How often one engine used one shared skill or command ({@code log_command}).
 *
 * @param slug the skill or command
 * @param engine the engine that used it
 * @param uses how many times
 * @param lastAt the latest use
 */
public record CommandStats(String slug, String engine, long uses, Instant lastAt) {
    public CommandStats {
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(lastAt, "lastAt");
    }
}
