package dev.tandem.hub.usage;

/**
 * Prices in US dollars per million tokens.
 *
 * @param input uncached input
 * @param cachedInput input read from the cache
 * @param cacheWrite input written to the cache (Claude: for five minutes)
 * @param cacheWrite1h input written to the cache for an hour (Claude)
 * @param output output, reasoning included
 */
public record Rates(double input, double cachedInput, double cacheWrite, double cacheWrite1h, double output) {
    public Rates {
        for (double d : new double[] {input, cachedInput, cacheWrite, cacheWrite1h, output}) {
            if (!(d >= 0) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("a price must be a finite number of dollars, not " + d);
            }
        }
    }
}
