package dev.tandem.core.jobs;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of a job's output: something its engine did or said, already redacted.
 *
 * @param seq the event's number within its job, from 1
 * @param at when the hub received it
 * @param kind {@code message}, {@code command}, {@code file_change}, {@code tool_call}, {@code approval_request},
 *     {@code turn_ended}, … (docs/jobs.md lists them)
 * @param text what to show, possibly several lines
 */
public record JobEvent(long seq, Instant at, String kind, String text) {
    public JobEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
        if (seq < 1) {
            throw new IllegalArgumentException("seq starts at 1");
        }
    }
}
