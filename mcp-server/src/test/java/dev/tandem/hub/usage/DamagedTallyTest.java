package dev.tandem.hub.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The read's count of damaged responses holds a bounded number of keys however many damaged lines a log has. */
class DamagedTallyTest {
    static final int PAST_THE_CAP = 10_000;

    @Test
    void holdsNoMoreKeysThanTheCapAndStillCountsEveryResponse() {
        DamagedTally t = new DamagedTally();
        for (long key = 0; key < DamagedTally.HELD + PAST_THE_CAP; key++) {
            t.add(key);
            t.add(key); // a response on two lines, one after the other
        }
        assertEquals(DamagedTally.HELD, t.held());
        assertEquals(DamagedTally.HELD + PAST_THE_CAP, t.count());
    }

    @Test
    void aHeldResponseSeenAgainLaterIsNotCountedAgain() {
        DamagedTally t = new DamagedTally();
        for (long key = 0; key < DamagedTally.HELD + PAST_THE_CAP; key++) {
            t.add(key);
        }
        t.add(0);
        t.add(DamagedTally.HELD - 1);
        assertEquals(DamagedTally.HELD + PAST_THE_CAP, t.count());
    }

    @Test
    void pastTheCapAResponseIsToldApartFromTheOneBeforeItOnly() {
        DamagedTally t = new DamagedTally();
        for (long key = 0; key < DamagedTally.HELD + 2; key++) {
            t.add(key);
        }
        long pastTheCap = DamagedTally.HELD;
        t.add(pastTheCap); // not next to its first line, and not held: counted again (the store counts it once)
        assertEquals(DamagedTally.HELD + 3, t.count());
        assertEquals(DamagedTally.HELD, t.held());
    }
}
