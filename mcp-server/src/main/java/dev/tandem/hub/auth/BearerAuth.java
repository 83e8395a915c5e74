package dev.tandem.hub.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/** Checks an {@code Authorization} header against the token in constant time. */
public final class BearerAuth {
    private final byte[] expected;

    public BearerAuth(String token) {
        this.expected = token.getBytes(StandardCharsets.US_ASCII);
    }

    /** Returns whether the header carries exactly {@code Bearer <token>}. */
    public boolean accepts(Optional<String> authorization) {
        if (authorization.isEmpty()) {
            return false;
        }
        String value = authorization.get();
        // The scheme is case-insensitive (RFC 9110 section 11.1); the token is not.
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = value.substring(7).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, expected);
    }
}
