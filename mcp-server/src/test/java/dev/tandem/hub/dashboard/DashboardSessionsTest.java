package dev.tandem.hub.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    private static final String HOST = "127.0.0.1:8765";

    @Test
    void codeIsRefusedOnceAMinuteHasPassed() {
        String code = sessions.newLoginCode(HOST);
        clock.advance(DashboardSessions.CODE_TTL);
        assertTrue(sessions.redeem(code, HOST).isEmpty());
    }

    @Test
    void codeWorksJustBeforeItExpiresAndOnlyOnce() {
        String code = sessions.newLoginCode(HOST);
        clock.advance(DashboardSessions.CODE_TTL.minusSeconds(1));
        assertTrue(sessions.redeem(code, HOST).isPresent());
        assertTrue(sessions.redeem(code, HOST).isEmpty());
    }

    @Test
    void codesAreRandom256BitBase64Url() {
        String a = sessions.newLoginCode(HOST);
        String b = sessions.newLoginCode(HOST);
        assertTrue(a.matches("[A-Za-z0-9_-]{43}"), a);
        assertNotEquals(a, b);
    }

    @Test
    void sessionEndsAfterItsLifetime() {
        String session = sessions.redeem(sessions.newLoginCode(HOST), HOST).orElseThrow();
        clock.advance(Duration.ofHours(12).minusSeconds(1));
        assertTrue(sessions.valid(session));
        clock.advance(Duration.ofSeconds(1));
        assertFalse(sessions.valid(session));
    }

    @Test
    void endedSessionIsNoLongerValid() {
        String session = sessions.redeem(sessions.newLoginCode(HOST), HOST).orElseThrow();
        sessions.end(session);
        assertFalse(sessions.valid(session));
    }

    @Test
    void codeIsRefusedUnderAnotherHostAndStaysUsableForItsOwn() {
        String code = sessions.newLoginCode(HOST);
        assertTrue(sessions.redeem(code, "localhost:8765").isEmpty());
        assertTrue(sessions.redeem(code, "127.0.0.1:9999").isEmpty());
        assertTrue(sessions.redeem(code, HOST).isPresent());
    }

    @Test
    void hostIsComparedWithoutCaseAndSurroundingSpace() {
        String code = sessions.newLoginCode("LocalHost:8765");
        assertTrue(sessions.redeem(code, " localhost:8765").isPresent());
    }

    @Test
    void codesLastOneMinute() {
        assertEquals(Duration.ofSeconds(60), DashboardSessions.CODE_TTL);
    }
}
