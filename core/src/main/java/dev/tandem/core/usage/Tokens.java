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

    /** Returns the sum of both. */
    public Tokens plus(Tokens o) {
        return new Tokens(
                input + o.input,
                cacheRead + o.cacheRead,
                cacheWrite5m + o.cacheWrite5m,
                cacheWrite1h + o.cacheWrite1h,
                output + o.output,
                reasoning + o.reasoning);
    }

    /** Returns the cache writes of both durations. */
    public long cacheWrite() {
        return cacheWrite5m + cacheWrite1h;
    }

    /** Returns every token sent or received: input, cache reads and writes, output (reasoning is inside output). */
    public long total() {
        return input + cacheRead + cacheWrite() + output;
    }

    /** Returns the prompt's size: every input token, cached or not. */
    public long prompt() {
        return input + cacheRead + cacheWrite();
    }
}
