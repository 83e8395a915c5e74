package dev.tandem.hub.usage;

import dev.tandem.core.usage.PriceTier;
import dev.tandem.core.usage.Tokens;
import java.util.Objects;
import java.util.Optional;

/**
 * What one model costs.
 *
 * @param rates the prices of a normal request
 * @param longContext the prices of a request whose prompt is over a threshold, where the model has them
 * @param fastMultiplier what fast mode multiplies the price by (1 where there is none)
 */
public record ModelPrice(Rates rates, Optional<LongContext> longContext, double fastMultiplier) {
    /**
     * The prices of a long prompt.
     *
     * @param threshold prompts over this many tokens (every input token, cached or not) are priced so as a whole:
     *     {@link PriceTier#LONG_CONTEXT} or {@link PriceTier#LONGER_CONTEXT}
     * @param rates the prices
     */
    public record LongContext(long threshold, Rates rates) {
        public LongContext {
            Objects.requireNonNull(rates, "rates");
            if (threshold != PriceTier.LONG_CONTEXT && threshold != PriceTier.LONGER_CONTEXT) {
                throw new IllegalArgumentException("long-context threshold must be 200000 or 272000");
            }
        }
    }

    public ModelPrice {
        Objects.requireNonNull(rates, "rates");
        Objects.requireNonNull(longContext, "longContext");
        if (!(fastMultiplier > 0) || Double.isInfinite(fastMultiplier)) {
            throw new IllegalArgumentException("fast multiplier must be a positive number");
        }
    }

    /** Returns the dollars {@code tokens} of responses in {@code tier} cost. */
    public double cost(int tier, Tokens tokens) {
        Rates r = longContext
                .filter(lc -> PriceTier.over(tier, lc.threshold()))
                .map(LongContext::rates)
                .orElse(rates);
        double micro = tokens.input() * r.input()
                + tokens.cacheRead() * r.cachedInput()
                + tokens.cacheWrite5m() * r.cacheWrite()
                + tokens.cacheWrite1h() * r.cacheWrite1h()
                + tokens.output() * r.output();
        return micro / 1_000_000 * (PriceTier.fast(tier) ? fastMultiplier : 1);
    }
}
