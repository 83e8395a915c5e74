package dev.tandem.core.usage;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Marks an engine session as part of something Tandem ran (a job, a delegation), so the ledger can say what it
 * cost: the session's responses from {@code from} until {@code to}.
 *
 * @param engine the engine
 * @param session the engine's session (Codex thread id, Claude session id)
 * @param kind what the session belongs to, e.g. {@code job}
 * @param ref which one, e.g. the job's id
 * @param from when it started
 * @param to when it ended; empty while it runs
 */
public record SessionTag(String engine, String session, String kind, String ref, Instant from, Optional<Instant> to) {
    public SessionTag {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
    }
}
