package dev.tandem.core.usage;

import java.util.Objects;

/**
 * The responses of one tagged session with one model and price tier, within the tag's time.
 *
 * @param tag the tag
 * @param model the model
 * @param tier the price tier
 * @param responses how many responses
 * @param tokens their tokens
 */
public record TaggedUsage(SessionTag tag, String model, int tier, long responses, Tokens tokens) {
    public TaggedUsage {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(tokens, "tokens");
    }
}
