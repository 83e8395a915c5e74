package dev.tandem.hub.http;

import dev.tandem.core.config.ConfigException;
import dev.tandem.core.config.Section;

/**
 * How much of the hub one authenticated caller may hold with one request or one credential: sessions, and a JSON-RPC
 * batch's length and answer. A token holder is not trusted, so none of these grows with what a request asks for.
 *
 * @param maxSessionsPerCredential the most sessions one credential keeps open; opening one more closes its least
 *     recently used (a client whose session is gone gets 404 and starts a new one, as the spec says)
 * @param maxBatchMessages the most messages in one JSON-RPC batch; a longer batch is refused whole, nothing run
 * @param maxBatchAnswerBytes the most bytes of one batch's answer; requests whose answers would pass it get a JSON-RPC
 *     error naming the limit instead
 */
public record SessionLimits(int maxSessionsPerCredential, int maxBatchMessages, long maxBatchAnswerBytes) {
    public static final int DEFAULT_MAX_SESSIONS_PER_CREDENTIAL = 64;
    public static final int DEFAULT_MAX_BATCH_MESSAGES = 64;
    public static final long DEFAULT_MAX_BATCH_ANSWER_BYTES = 8L * 1024 * 1024;

    /** Thrown {@link ConfigException} naming the {@code [hub]} key of the first value out of range. */
    public SessionLimits {
        if (maxSessionsPerCredential < 1) {
            throw new ConfigException(
                    "[hub] max_sessions_per_credential must be at least 1, got " + maxSessionsPerCredential);
        }
        if (maxBatchMessages < 1) {
            throw new ConfigException("[hub] max_batch_messages must be at least 1, got " + maxBatchMessages);
        }
        if (maxBatchAnswerBytes < 1024) {
            throw new ConfigException("[hub] max_batch_answer_bytes must be at least 1024, got " + maxBatchAnswerBytes);
        }
    }

    /** Returns the defaults: 64 sessions per credential, 64 messages per batch, 8 MiB per batch answer. */
    public static SessionLimits defaults() {
        return new SessionLimits(
                DEFAULT_MAX_SESSIONS_PER_CREDENTIAL, DEFAULT_MAX_BATCH_MESSAGES, DEFAULT_MAX_BATCH_ANSWER_BYTES);
    }

    /**
     * Reads {@code max_sessions_per_credential}, {@code max_batch_messages} and {@code max_batch_answer_bytes} of
     * {@code [hub]}.
     */
    public static SessionLimits from(Section hub) {
        int sessions = (int) hub.whole("max_sessions_per_credential", 1, 10_000, DEFAULT_MAX_SESSIONS_PER_CREDENTIAL);
        int messages = (int) hub.whole("max_batch_messages", 1, 10_000, DEFAULT_MAX_BATCH_MESSAGES);
        long answer = hub.whole("max_batch_answer_bytes", 1024, 1024L * 1024 * 1024, DEFAULT_MAX_BATCH_ANSWER_BYTES);
        return new SessionLimits(sessions, messages, answer);
    }
}
