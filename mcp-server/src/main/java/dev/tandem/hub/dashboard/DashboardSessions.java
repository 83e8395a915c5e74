package dev.tandem.hub.dashboard;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One-time login codes (in memory) and the browser sessions they open (signed cookies that survive a restart).
 *
 * <p>Codes are 256 random bits, base64url. A code works once, within {@link #CODE_TTL}, and only when the browser
 * reaches the hub by the same {@code Host} as the request that made it: a code that leaks works nowhere else, not
 * even at this hub under another name.
 *
 * <p>A session is the cookie value {@code ID.EXPIRY.MAC}: a random 128-bit id, its end (epoch seconds) and an
 * HMAC-SHA256 of both under a key derived from the signing key in the state folder ({@link SessionKeys}) and the
 * hub's current bearer token. The token itself is never in the cookie. So a session ends when its time is up (the
 * end is signed, and never further away than the configured lifetime), when the person logs out (the id is
 * recorded until it would have expired, across restarts), and when the token is rotated (every signature changes).
 * A restart keeps the sessions: the key and the record of logouts are files.
 */
public final class DashboardSessions {
    /** The cookie that carries the session. */
    public static final String COOKIE = "tandem_dashboard";

    /** How long a login code stays valid. */
    public static final Duration CODE_TTL = Duration.ofSeconds(60);
    /** The most codes waiting at once; beyond that the oldest requests are refused until some expire. */
    static final int MAX_CODES = 100;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern SESSION = Pattern.compile("([A-Za-z0-9_-]{22})\\.([0-9]{1,12})\\.([A-Za-z0-9_-]{43})");

    private final Clock clock;
    private final Duration sessionTtl;
    private final Supplier<Optional<String>> token;
    private final SessionKeys keys;
    private final byte[] key;
    private final Map<String, Code> codes = new ConcurrentHashMap<>();
    private final Map<String, Long> logouts;

    /**
     * Sessions signed with the key kept in {@code stateDir} and bound to the token {@code token} returns now (none:
     * no session is valid).
     */
    public DashboardSessions(Clock clock, Duration sessionTtl, Path stateDir, Supplier<Optional<String>> token) {
        this.clock = clock;
        this.sessionTtl = sessionTtl;
        this.token = token;
        this.keys = new SessionKeys(stateDir);
        this.key = keys.key();
        this.logouts = new ConcurrentHashMap<>(keys.logouts());
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
        String code = random(32);
        codes.put(code, new Code(normal(host), now.plus(CODE_TTL)));
        return code;
    }

    /**
     * Uses up {@code code} and returns a new session (the cookie's value), if the code was issued for {@code host},
     * is unused and not expired. A code asked for under another host stays unused.
     */
    public Optional<String> redeem(String code, String host) {
        Instant now = clock.instant();
        Code c = codes.get(code);
        if (c == null || !c.host().equals(normal(host)) || !codes.remove(code, c) || !now.isBefore(c.expiry())) {
            return Optional.empty();
        }
        Optional<byte[]> signing = signingKey();
        if (signing.isEmpty()) {
            return Optional.empty();
        }
        String id = random(16);
        long end = now.plus(sessionTtl).getEpochSecond();
        return Optional.of(id + "." + end + "." + mac(signing.get(), id, end));
    }

    /** Returns whether {@code session} is a live session: signed for the current token, unexpired, not logged out. */
    public boolean valid(String session) {
        return live(session).isPresent();
    }

    /** Ends {@code session} for good (a restart does not bring it back). */
    public void end(String session) {
        Optional<Live> live = live(session);
        if (live.isEmpty()) {
            return;
        }
        long now = clock.instant().getEpochSecond();
        synchronized (logouts) {
            logouts.values().removeIf(e -> e <= now);
            logouts.put(live.get().id(), live.get().end());
            keys.saveLogouts(logouts);
        }
    }

    private record Live(String id, long end) {}

    /** Returns the id and end of a valid session. */
    private Optional<Live> live(String session) {
        Matcher m = SESSION.matcher(session);
        if (!m.matches()) {
            return Optional.empty();
        }
        String id = m.group(1);
        long end = Long.parseLong(m.group(2));
        long now = clock.instant().getEpochSecond();
        Optional<byte[]> signing = signingKey();
        boolean ok = signing.isPresent()
                && MessageDigest.isEqual(
                        mac(signing.get(), id, end).getBytes(StandardCharsets.US_ASCII),
                        m.group(3).getBytes(StandardCharsets.US_ASCII))
                && now < end
                && end - now <= sessionTtl.toSeconds()
                && !logouts.containsKey(id);
        return ok ? Optional.of(new Live(id, end)) : Optional.empty();
    }

    /** The key that signs sessions: the stored key and the current token, so rotating the token ends them all. */
    private Optional<byte[]> signingKey() {
        return token.get().filter(t -> !t.isBlank()).map(t -> hmac(key, "tandem dashboard sessions\n" + t));
    }

    private static String mac(byte[] signing, String id, long end) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(signing, "v1\n" + id + "\n" + end));
    }

    private static byte[] hmac(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static String normal(String host) {
        return host.strip().toLowerCase(java.util.Locale.ROOT);
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
