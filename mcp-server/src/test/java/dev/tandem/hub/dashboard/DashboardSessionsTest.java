package dev.tandem.hub.dashboard;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.hub.SettableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DashboardSessionsTest {
    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-21T10:00:00Z"));
    private final DashboardSessions sessions = new DashboardSessions(clock, Duration.ofHours(12));

    @Test
    void codeIsRefusedOnceTwoMinutesHavePassed() {
        String code = sessions.newLoginCode();
        clock.advance(DashboardSessions.CODE_TTL);
        assertTrue(sessions.redeem(code).isEmpty());
    }

    @Test
    void codeWorksJustBeforeItExpiresAndOnlyOnce() {
        String code = sessions.newLoginCode();
        clock.advance(DashboardSessions.CODE_TTL.minusSeconds(1));
        assertTrue(sessions.redeem(code).isPresent());
        assertTrue(sessions.redeem(code).isEmpty());
    }

    @Test
    void codesAreRandom256BitBase64Url() {
        String a = sessions.newLoginCode();
        String b = sessions.newLoginCode();
        assertTrue(a.matches("[A-Za-z0-9_-]{43}"), a);
        assertNotEquals(a, b);
    }

    @Test
    void sessionEndsAfterItsLifetime() {
        String session = sessions.redeem(sessions.newLoginCode()).orElseThrow();
        clock.advance(Duration.ofHours(12).minusSeconds(1));
        assertTrue(sessions.valid(session));
        clock.advance(Duration.ofSeconds(1));
        assertFalse(sessions.valid(session));
    }

    @Test
    void endedSessionIsNoLongerValid() {
        String session = sessions.redeem(sessions.newLoginCode()).orElseThrow();
        sessions.end(session);
        assertFalse(sessions.valid(session));
    }
}
