package dev.tandem.core.usage;

import java.time.Instant;
import java.util.Objects;

/**
 * The responses of one session, project and model in one 15-minute bucket (UTC) and one price tier.
 *
 * @param bucket the bucket's start
 * @param host the machine whose logs they were read from
 * @param engine the engine
 * @param session the engine's session
 * @param project the working directory, {@code ""} when unknown
 * @param model the model
 * @param tier the price tier ({@link PriceTier})
 * @param responses how many responses
 * @param tokens their tokens
 * @param firstAt the first response's time
 * @param lastAt the last response's time
 */
public record Rollup(
        Instant bucket,
        String host,
        String engine,
        String session,
        String project,
        String model,
        int tier,
        long responses,
        Tokens tokens,
        Instant firstAt,
        Instant lastAt) {
    /** The length of a bucket. */
    public static final long BUCKET_MILLIS = 15 * 60 * 1000;

    public Rollup {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(firstAt, "firstAt");
        Objects.requireNonNull(lastAt, "lastAt");
    }
}
