package dev.tandem.hub.usage;

import dev.tandem.core.usage.Tokens;
import java.util.Objects;

/**
 * What some responses used and cost.
 *
 * @param responses how many model responses
 * @param tokens their tokens
 * @param costUsd what the priced ones cost, in US dollars
 * @param unpricedResponses how many had a model the price table does not know (not in {@code costUsd})
 */
public record Amount(long responses, Tokens tokens, double costUsd, long unpricedResponses) {
    /** Nothing. */
    public static final Amount ZERO = new Amount(0, Tokens.ZERO, 0, 0);

    public Amount {
        Objects.requireNonNull(tokens, "tokens");
    }

    /** Returns the sum of both; counts held at {@link Long#MAX_VALUE} as {@link Tokens#plus} holds them. */
    public Amount plus(Amount o) {
        return new Amount(
                Tokens.sum(responses, o.responses),
                tokens.plus(o.tokens),
                costUsd + o.costUsd,
                Tokens.sum(unpricedResponses, o.unpricedResponses));
    }
}
