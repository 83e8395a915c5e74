package dev.tandem.core.usage;

/**
 * Token counts of one or more model responses, by the kind each is priced as.
 *
 * @param input input tokens not read from the prompt cache
 * @param cacheRead input tokens read from the cache
 * @param cacheWrite5m input tokens written to the cache for five minutes (Claude; Codex's cache writes)
 * @param cacheWrite1h input tokens written to the cache for an hour (Claude)
 * @param output output tokens, reasoning included
 * @param reasoning the part of {@code output} spent on reasoning, where the log says; never added to the total
 */
public record Tokens(long input, long cacheRead, long cacheWrite5m, long cacheWrite1h, long output, long reasoning) {
    /** No tokens. */
    public static final Tokens ZERO = new Tokens(0, 0, 0, 0, 0, 0);

    /**
     * The most tokens of one kind one response may have, 10^9: a thousand times the largest context window, so a log
     * line claiming more is damaged, and so low that no sum of the responses a ledger can hold overflows a
     * {@code long} (that takes more than 9 * 10^9 responses). The engines' log readers and the fleet hub's usage
     * push hold to this one bound, so what a machine read from its logs is never refused or altered by the push.
     */
    public static final long MAX_PER_RESPONSE = 1_000_000_000L;

    public Tokens {
        if (input < 0 || cacheRead < 0 || cacheWrite5m < 0 || cacheWrite1h < 0 || output < 0 || reasoning < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
    }

    /**
     * Returns the sum of both, each kind held at {@link Long#MAX_VALUE} rather than wrapping around. A ledger's sums
     * are built from responses of at most {@link #MAX_PER_RESPONSE} tokens a kind, so only a damaged store can take
     * them that far; saturating rather than failing keeps one damaged row from making every report over its range
     * fail (reports are what tells the person something is wrong), and the figure it leaves, 9,223,372,036,854,775,807,
     * is plainly absurd, where a wrapped sum would be a negative or a small, believable number: the one silent lie a
     * ledger must not tell.
     */
    public Tokens plus(Tokens o) {
        return new Tokens(
                sum(input, o.input),
                sum(cacheRead, o.cacheRead),
                sum(cacheWrite5m, o.cacheWrite5m),
                sum(cacheWrite1h, o.cacheWrite1h),
                sum(output, o.output),
                sum(reasoning, o.reasoning));
    }

    /**
     * Returns {@code a + b} for counts that are never negative, held at {@link Long#MAX_VALUE} instead of wrapping
     * around (as {@link #plus} does, for the same reason).
     */
    public static long sum(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s; // neither is negative: a negative sum wrapped around
    }

    /** Returns the cache writes of both durations (held at {@link Long#MAX_VALUE}, as {@link #plus}). */
    public long cacheWrite() {
        return sum(cacheWrite5m, cacheWrite1h);
    }

    /**
     * Returns every token sent or received: input, cache reads and writes, output (reasoning is inside output); held
     * at {@link Long#MAX_VALUE}, as {@link #plus}.
     */
    public long total() {
        return sum(prompt(), output);
    }

    /** Returns the prompt's size: every input token, cached or not (held at {@link Long#MAX_VALUE}, as {@link #plus}). */
    public long prompt() {
        return sum(sum(input, cacheRead), cacheWrite());
    }
}
