package dev.tandem.core.jobs;

import java.util.Optional;

/**
 * The tokens a job's engine reported, summed over its turns.
 *
 * @param input input tokens, cached ones included
 * @param cachedInput the part of {@code input} read from the provider's cache
 * @param output output tokens, reasoning included
 * @param contextWindow the model's context window, when the engine reports it
 * @param contextUsed the tokens of the latest request's context, when the engine reports them
 */
public record JobTokens(
        long input, long cachedInput, long output, Optional<Long> contextWindow, Optional<Long> contextUsed) {
    public static final JobTokens NONE = new JobTokens(0, 0, 0, Optional.empty(), Optional.empty());

    public JobTokens {
        if (input < 0 || cachedInput < 0 || output < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
    }

    /** Returns how much of the context window the latest request used, in percent (one decimal). */
    public Optional<Double> contextUsedPercent() {
        if (contextWindow.isEmpty() || contextUsed.isEmpty() || contextWindow.get() <= 0) {
            return Optional.empty();
        }
        return Optional.of(Math.round(1000.0 * contextUsed.get() / contextWindow.get()) / 10.0);
    }
}
