package dev.tandem.core.usage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Objects;

/**
 * One model response as an engine's own log records it.
 *
 * @param key the response's identity wherever its log is read: {@link #keyOf}
 * @param engine {@code codex} or {@code claude}
 * @param at the log line's own timestamp
 * @param session the engine's session (Codex thread id, Claude session id)
 * @param project the working directory the engine ran in, {@code ""} when the log does not say
 * @param model the model that answered, {@value #UNKNOWN_MODEL} when the log does not say
 * @param tier the price class: {@link PriceTier}
 * @param tokens what the response used
 */
public record UsageEvent(
        long key, String engine, Instant at, String session, String project, String model, int tier, Tokens tokens) {
    /** The model of a response whose log does not name one. */
    public static final String UNKNOWN_MODEL = "unknown";

    public UsageEvent {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(tokens, "tokens");
        if (!engine.equals("codex") && !engine.equals("claude")) {
            throw new IllegalArgumentException("engine must be codex or claude, got " + engine);
        }
    }

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    });

    /** Returns the first 64 bits of SHA-256 over {@code <engine>:<id>}: the same on every machine. */
    public static long keyOf(String engine, String id) {
        byte[] d = SHA256.get().digest((engine + ":" + id).getBytes(StandardCharsets.UTF_8));
        long k = 0;
        for (int i = 0; i < 8; i++) {
            k = (k << 8) | (d[i] & 0xFF);
        }
        return k;
    }
}
