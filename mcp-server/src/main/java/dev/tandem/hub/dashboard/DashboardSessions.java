package dev.tandem.hub.dashboard;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One-time login codes and the browser sessions they open, kept in memory only (a restart logs everyone out).
 *
 * <p>Codes and session ids are 256 random bits, base64url. A code works once, within {@link #CODE_TTL}, and only
 * when the browser reaches the hub by the same {@code Host} as the request that made it: a code that leaks works
 * nowhere else, not even at this hub under another name.
 */
public final class DashboardSessions {
    /** The cookie that carries the session id. */
    public static final String COOKIE = "tandem_dashboard";

    /** How long a login code stays valid. */
    public static final Duration CODE_TTL = Duration.ofSeconds(60);
    /** The most codes waiting at once; beyond that the oldest requests are refused until some expire. */
    static final int MAX_CODES = 100;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;
    private final Duration sessionTtl;
    private final Map<String, Code> codes = new ConcurrentHashMap<>();
    private final Map<String, Instant> sessions = new ConcurrentHashMap<>();

    public DashboardSessions(Clock clock, Duration sessionTtl) {
        this.clock = clock;
        this.sessionTtl = sessionTtl;
    }

    public Duration sessionTtl() {
        return sessionTtl;
    }

    private record Code(String host, Instant expiry) {}

    /**
     * Returns a new one-time login code for a browser that reaches the hub as {@code host} (the {@code Host} header,
     * such as {@code 127.0.0.1:8765}); thrown {@link IllegalStateException} when too many are waiting.
     */
    public String newLoginCode(String host) {
        Instant now = clock.instant();
        codes.values().removeIf(c -> !now.isBefore(c.expiry()));
        if (codes.size() >= MAX_CODES) {
            throw new IllegalStateException("too many unused login codes; wait a minute");
        }
        String code = random();
        codes.put(code, new Code(normal(host), now.plus(CODE_TTL)));
        return code;
    }

    /**
     * Uses up {@code code} and returns a new session id, if the code was issued for {@code host}, is unused and not
     * expired. A code asked for under another host stays unused.
     */
    public Optional<String> redeem(String code, String host) {
        Instant now = clock.instant();
        Code c = codes.get(code);
        if (c == null || !c.host().equals(normal(host)) || !codes.remove(code, c) || !now.isBefore(c.expiry())) {
            return Optional.empty();
        }
        sessions.values().removeIf(end -> !now.isBefore(end));
        String session = random();
        sessions.put(session, now.plus(sessionTtl));
        return Optional.of(session);
    }

    /** Returns whether {@code session} is a live session. */
    public boolean valid(String session) {
        Instant end = sessions.get(session);
        return end != null && clock.instant().isBefore(end);
    }

    /** Ends {@code session}. */
    public void end(String session) {
        sessions.remove(session);
    }

    private static String normal(String host) {
        return host.strip().toLowerCase(java.util.Locale.ROOT);
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
