package dev.tandem.hub.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Checks an {@code Authorization} header in constant time against the token as it is now (the hub's {@link
 * LiveToken} follows the token file, so a rotated token is refused from the next request on).
 */
public final class BearerAuth {
    private final Supplier<Optional<String>> token;

    public BearerAuth(String token) {
        this(LiveToken.fixed(token));
    }

    public BearerAuth(Supplier<Optional<String>> token) {
        this.token = token;
    }

    /** Returns whether the header carries exactly {@code Bearer <token>}. */
    public boolean accepts(Optional<String> authorization) {
        Optional<String> current = token.get();
        if (authorization.isEmpty() || current.isEmpty()) {
            return false;
        }
        byte[] expected = current.get().getBytes(StandardCharsets.US_ASCII);
        String value = authorization.get();
        // The scheme is case-insensitive (RFC 9110 section 11.1); the token is not.
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = value.substring(7).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, expected);
    }
}
