package dev.tandem.core.usage;

import java.time.Instant;
import java.util.Objects;

/**
 * A response an engine's log names but whose token counts no response has (above {@link Tokens#MAX_PER_RESPONSE}):
 * not counted, but kept by key so reports can say how many were left out, once each however often it is read.
 *
 * @param key the response's identity, as {@link UsageEvent#key} would be
 * @param engine {@code codex} or {@code claude}
 * @param at the log line's own timestamp
 */
public record DamagedResponse(long key, String engine, Instant at) {
    public DamagedResponse {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(at, "at");
        if (!engine.equals("codex") && !engine.equals("claude")) {
            throw new IllegalArgumentException("engine must be codex or claude, got " + engine);
        }
    }
}
