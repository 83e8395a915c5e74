package dev.tandem.core.usage;

/**
 * The price class of a response, stored with it because prices depend on the single request: a prompt over a
 * long-context threshold is priced higher as a whole (Anthropic: over 200,000 input tokens), and Claude's fast
 * mode multiplies the price. Two thresholds are kept so that either can be priced exactly.
 */
public final class PriceTier {
    /** Prompts (every input token, cached or not) over this many tokens: tier 1 and up. */
    public static final long LONG_CONTEXT = 200_000;
    /** Prompts over this many tokens: tier 2. */
    public static final long LONGER_CONTEXT = 272_000;
    /** Added to the tier of a response answered in fast mode. */
    public static final int FAST = 4;

    private PriceTier() {}

    /** Returns the tier of a response with a prompt of {@code promptTokens}, in fast mode or not. */
    public static int of(long promptTokens, boolean fast) {
        int size = promptTokens > LONGER_CONTEXT ? 2 : promptTokens > LONG_CONTEXT ? 1 : 0;
        return size + (fast ? FAST : 0);
    }

    /** Returns whether responses of {@code tier} had a prompt over {@code threshold} tokens (200k or 272k). */
    public static boolean over(int tier, long threshold) {
        int size = tier % FAST;
        return threshold == LONGER_CONTEXT ? size >= 2 : size >= 1;
    }

    /** Returns whether responses of {@code tier} were answered in fast mode. */
    public static boolean fast(int tier) {
        return tier >= FAST;
    }
}
