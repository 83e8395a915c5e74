package dev.tandem.hub.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.hub.SettableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardSessionsTest {
    private static final String HOST = "127.0.0.1:8765";
    private static final Duration TTL = Duration.ofHours(12);

    @TempDir
    Path state;

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-21T10:00:00Z"));
    private final AtomicReference<Optional<String>> token = new AtomicReference<>(Optional.of("a".repeat(64)));
    private DashboardSessions sessions;

    @BeforeEach
    void open() {
        sessions = restarted();
    }

    /** A new instance on the same state folder, as after a hub restart. */
    private DashboardSessions restarted() {
        return new DashboardSessions(clock, TTL, state, token::get);
    }

    private String login(DashboardSessions s) {
        return s.redeem(s.newLoginCode(HOST), HOST).orElseThrow();
    }

    @Test
    void sessionSurvivesARestart() {
        String session = login(sessions);
        assertTrue(restarted().valid(session));
    }

    @Test
    void loggedOutSessionStaysDeadAfterARestart() {
        String session = login(sessions);
        String other = login(sessions);
        sessions.end(session);
        DashboardSessions after = restarted();
        assertFalse(after.valid(session));
        assertTrue(after.valid(other));
    }

    @Test
    void rotatingTheTokenEndsEverySession() {
        String session = login(sessions);
        token.set(Optional.of("b".repeat(64)));
        assertFalse(sessions.valid(session));
        assertFalse(restarted().valid(session));
        token.set(Optional.empty());
        assertFalse(sessions.valid(session));
        assertTrue(sessions.redeem(sessions.newLoginCode(HOST), HOST).isEmpty());
    }

    @Test
    void aLaterExpiryOrAnotherIdBreaksTheSignature() {
        String session = login(sessions);
        String[] parts = session.split("\\.", -1);
        long end = Long.parseLong(parts[1]);
        assertFalse(sessions.valid(parts[0] + "." + (end + 3600) + "." + parts[2]));
        assertFalse(sessions.valid("A".repeat(22) + "." + end + "." + parts[2]));
        assertFalse(sessions.valid(session + "x"));
        assertFalse(sessions.valid(""));
    }

    @Test
    void aSessionSignedWithAnotherKeyIsRefused(@TempDir Path elsewhere) {
        String foreign = login(new DashboardSessions(clock, TTL, elsewhere, token::get));
        assertFalse(sessions.valid(foreign));
    }

    @Test
    void aShorterLifetimeAfterARestartShortensLiveSessions() {
        String session = login(sessions);
        assertFalse(new DashboardSessions(clock, Duration.ofHours(1), state, token::get).valid(session));
    }

    @Test
    void theKeyIsOwnerOnlyAndNeverTheToken() throws Exception {
        String session = login(sessions);
        Path key = state.resolve(SessionKeys.KEY_FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertFalse(Files.readString(key).contains(token.get().orElseThrow()));
        assertFalse(session.contains(token.get().orElseThrow()));
        sessions.end(login(sessions));
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve(SessionKeys.LOGOUTS_FILE))));
    }

    @Test
    void aKeyOthersCanReadIsReplaced() throws Exception {
        String session = login(sessions);
        Path key = state.resolve(SessionKeys.KEY_FILE);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        DashboardSessions after = restarted();
        assertFalse(after.valid(session));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertTrue(after.valid(login(after)));
    }

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

    @Test
    void anUnwritableStateFolderStillSignsInUntilTheHubStops() throws Exception {
        Path blocked = Files.writeString(state.resolve("a-file"), "not a folder"); // even root cannot make it a folder
        DashboardSessions s = new DashboardSessions(clock, TTL, blocked.resolve("state"), token::get);
        String session = login(s);
        assertTrue(s.valid(session));
        s.end(session);
        assertFalse(s.valid(session));
    }
}
