package dev.tandem.hub.auth;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Proofs of holding the hub token that do not reveal it: HMAC-SHA256 keyed by the token over two nonces and the
 * address the connection was made to, with a label per direction so a proof one side made never passes as the
 * other side's.
 *
 * <p>{@code tandem dashboard} and the hub use them to recognise each other before a login code is made: the hub
 * proves it holds the token for the client's nonce (a program squatting on the port cannot, and one relaying to
 * the real hub on another port gets a proof for that other address), then the client proves it for the hub's
 * nonce. The token itself never leaves the client.
 */
public final class TokenProof {
    private static final String HMAC = "HmacSHA256";
    private static final String HUB = "tandem hub proof v1";
    private static final String CLIENT = "tandem login proof v1";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final Supplier<Optional<String>> token;

    public TokenProof(String token) {
        this(LiveToken.fixed(token));
    }

    /** Makes proofs with the token as it is at each call; while there is none, with a random key nobody holds. */
    public TokenProof(Supplier<Optional<String>> token) {
        this.token = token;
    }

    /** Returns 256 random bits, base64url. */
    public static String nonce() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return B64.encodeToString(bytes);
    }

    /** Returns {@code address:port} as both sides write it (the numeric address, as Java prints it). */
    public static String endpoint(InetAddress address, int port) {
        return address.getHostAddress() + ":" + port;
    }

    /** Returns the hub's proof for a connection to {@code endpoint}. */
    public String hub(String endpoint, String clientNonce, String hubNonce) {
        return mac(HUB, endpoint, clientNonce, hubNonce);
    }

    /** Returns the client's proof for a connection to {@code endpoint}. */
    public String client(String endpoint, String clientNonce, String hubNonce) {
        return mac(CLIENT, endpoint, clientNonce, hubNonce);
    }

    /** Returns whether {@code given} equals {@code expected}, in time that does not depend on where they differ. */
    public static boolean same(String expected, String given) {
        return MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII));
    }

    private String mac(String label, String endpoint, String clientNonce, String hubNonce) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(
                    new SecretKeySpec(token.get().orElseGet(TokenProof::nonce).getBytes(StandardCharsets.UTF_8), HMAC));
            // lengths first, so no two different inputs make the same message
            String message = label + "\n" + endpoint.length() + ":" + endpoint + "\n" + clientNonce.length() + ":"
                    + clientNonce + "\n" + hubNonce.length() + ":" + hubNonce;
            return B64.encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
