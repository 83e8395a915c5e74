package dev.tandem.core.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Sums of token counts at the edge of a {@code long}: held there, never wrapped to a small or negative count. */
class TokensTest {
    private static final long MAX = Long.MAX_VALUE;

    @Test
    void sumsBelowTheEdgeAreExact() {
        Tokens a = new Tokens(MAX - 6, 1, 2, 3, 4, 5);
        Tokens b = new Tokens(6, 1, 1, 1, 1, 1);
        assertEquals(new Tokens(MAX, 2, 3, 4, 5, 6), a.plus(b));
    }

    @Test
    void aSumPastTheEdgeOfAnyKindIsHeldAtTheLargestLong() {
        Tokens edge = new Tokens(MAX, MAX, MAX, MAX, MAX, MAX);
        assertEquals(edge, edge.plus(new Tokens(1, 1, 1, 1, 1, 1)));
        assertEquals(edge, edge.plus(edge));
        Tokens one = new Tokens(0, 0, 0, 0, MAX, 0).plus(new Tokens(0, 0, 0, 0, 1, 0));
        assertEquals(new Tokens(0, 0, 0, 0, MAX, 0), one, "only the kind that overflowed is held");
    }

    @Test
    void totalsOfKindsThatTogetherPassTheEdgeAreHeldToo() {
        Tokens t = new Tokens(MAX / 2 + 1, MAX / 2 + 1, MAX / 2 + 1, MAX / 2 + 1, MAX / 2 + 1, 0);
        assertEquals(MAX, t.cacheWrite());
        assertEquals(MAX, t.prompt());
        assertEquals(MAX, t.total());
        assertEquals(MAX, Tokens.sum(MAX, MAX));
        assertEquals(3, Tokens.sum(1, 2));
    }
}
