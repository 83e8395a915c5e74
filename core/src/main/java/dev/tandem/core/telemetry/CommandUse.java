package dev.tandem.core.telemetry;

import java.time.Instant;
import java.util.Objects;

/**
 * One recorded use of a skill or command.
 *
 * @param slug the skill or command
 * @param at when it was recorded
 * @param uses how often {@code slug} has been recorded in all, this one included
 */
public record CommandUse(String slug, Instant at, long uses) {
    public CommandUse {
        Objects.requireNonNull(slug);
        Objects.requireNonNull(at);
    }
}
