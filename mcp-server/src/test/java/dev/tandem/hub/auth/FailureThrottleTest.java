package dev.tandem.hub.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class FailureThrottleTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void firstFailuresAreNotDelayedThenEachOneWaitsLonger() {
        FailureThrottle throttle = new FailureThrottle(clock);
        for (int i = 0; i < FailureThrottle.FREE_FAILURES; i++) {
            assertEquals(Duration.ZERO, throttle.recordFailure("127.0.0.1"));
        }
        Duration first = throttle.recordFailure("127.0.0.1");
        Duration second = throttle.recordFailure("127.0.0.1");
        assertTrue(first.compareTo(Duration.ZERO) > 0);
        assertTrue(second.compareTo(first) > 0);
    }

    @Test
    void delayIsCappedAtTwoSeconds() {
        FailureThrottle throttle = new FailureThrottle(clock);
        Duration last = Duration.ZERO;
        for (int i = 0; i < 100; i++) {
            last = throttle.recordFailure("127.0.0.1");
        }
        assertEquals(Duration.ofSeconds(2), last);
    }

    @Test
    void addressesAreCountedApart() {
        FailureThrottle throttle = new FailureThrottle(clock);
        for (int i = 0; i < 20; i++) {
            throttle.recordFailure("127.0.0.2");
        }
        assertEquals(Duration.ZERO, throttle.recordFailure("127.0.0.3"));
    }

    @Test
    void anotherAddressIsBlockedAfterThirtyFailuresButTheHubsOwnMachineIsOnlySlowed() {
        FailureThrottle throttle = new FailureThrottle(clock);
        for (int i = 0; i < FailureThrottle.BLOCK_AFTER; i++) {
            throttle.recordFailure("127.0.0.2");
            throttle.recordFailure("127.0.0.1");
            throttle.recordFailure("::1");
        }
        assertTrue(throttle.blocked("127.0.0.2"));
        // an agent on the hub's machine sending wrong tokens must not lock out the person and the other engine
        assertFalse(throttle.blocked("127.0.0.1"));
        assertFalse(throttle.blocked("::1"));
        assertEquals(Duration.ofSeconds(2), throttle.recordFailure("127.0.0.1"));
    }
}
