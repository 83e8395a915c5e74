package dev.tandem.core.fleet;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A fleet host's key and the keys of its engines, and how the hub stores them (docs/fleet.md, "Keys").
 *
 * <p>A host key is {@code thk1.<id>.<secret>}: {@code id} (12 random bytes) names the key so the hub finds its row
 * without trying every host; {@code secret} is 256 random bits. The key of an engine on that host is
 * {@code thk1.<id>.<engine>.<HMAC-SHA-256(secret, "tandem engine key v1\n" + engine)>}, derived on the machine from
 * the host key, so each engine connects with its own credential (its tool profile and {@code client} memories) while
 * the hub decides the engine from the key, never from a header. The hub stores, per key, a 16-byte random salt and
 * {@code HMAC-SHA-256(salt, secret)} (and the same of each engine's secret), and compares in constant time. A salted
 * HMAC and not a slow KDF: the secrets are 256 random bits, not passwords, so there is nothing to guess faster.
 */
public final class HostKey {
    /** The engines that get a key of their own on an enrolled host. */
    public static final List<String> ENGINES = List.of("codex", "claude");

    private static final String PREFIX = "thk1";
    private static final String HMAC = "HmacSHA256";
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_-]{16,64}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private HostKey() {}

    /** A newly made key: what the person hands to the machine once, and what the hub stores. */
    public static final class Issued {
        private final String key;
        private final String keyId;
        private final byte[] salt;
        private final byte[][] hashes;

        Issued(String key, String keyId, byte[] salt, byte[] hostHash, byte[] codexHash, byte[] claudeHash) {
            this.key = key;
            this.keyId = keyId;
            this.salt = salt.clone();
            this.hashes = new byte[][] {hostHash.clone(), codexHash.clone(), claudeHash.clone()};
        }

        /** Returns the key itself: shown once, never stored. */
        public String key() {
            return key;
        }

        public String keyId() {
            return keyId;
        }

        public byte[] salt() {
            return salt.clone();
        }

        /** Returns the stored hash of the host's own key. */
        public byte[] hostHash() {
            return hashes[0].clone();
        }

        /** Returns the stored hash of Codex's key on the host. */
        public byte[] codexHash() {
            return hashes[1].clone();
        }

        /** Returns the stored hash of Claude's key on the host. */
        public byte[] claudeHash() {
            return hashes[2].clone();
        }

        @Override
        public String toString() {
            return "Issued[keyId=" + keyId + "]"; // never the key
        }
    }

    /**
     * A key as presented: which row it names, which engine (empty for the host's own key) and the secret part to
     * check.
     */
    public record Presented(String keyId, Optional<String> engine, String secret) {
        @Override
        public String toString() {
            return "Presented[keyId=" + keyId + ", engine=" + engine.orElse("") + "]";
        }
    }

    /** Makes a new key and its stored form. */
    public static Issued issue() {
        String id = random(12);
        String secret = random(32);
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return new Issued(
                PREFIX + "." + id + "." + secret,
                id,
                salt,
                hash(salt, secret),
                hash(salt, engineSecret(secret, "codex")),
                hash(salt, engineSecret(secret, "claude")));
    }

    /** Returns whether {@code token} looks like a fleet key (host or engine); nothing about whether it is valid. */
    public static boolean looksLike(String token) {
        return token.startsWith(PREFIX + ".");
    }

    /** Parses a presented host or engine key; empty when it is not one. */
    public static Optional<Presented> parse(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length < 3 || parts.length > 4 || !parts[0].equals(PREFIX)) {
            return Optional.empty();
        }
        String id = parts[1];
        String secret = parts[parts.length - 1];
        if (!PART.matcher(id).matches() || !PART.matcher(secret).matches()) {
            return Optional.empty();
        }
        if (parts.length == 3) {
            return Optional.of(new Presented(id, Optional.empty(), secret));
        }
        return ENGINES.contains(parts[2])
                ? Optional.of(new Presented(id, Optional.of(parts[2]), secret))
                : Optional.empty();
    }

    /**
     * Returns the key {@code engine} uses on the machine that holds {@code hostKey}.
     *
     * @throws IllegalArgumentException when {@code hostKey} is not a host key or {@code engine} no engine
     */
    public static String engineKey(String hostKey, String engine) {
        Presented p = parse(hostKey.strip())
                .filter(k -> k.engine().isEmpty())
                .orElseThrow(() -> new IllegalArgumentException("not a fleet host key"));
        if (!ENGINES.contains(engine)) {
            throw new IllegalArgumentException("unknown engine " + engine);
        }
        return PREFIX + "." + p.keyId() + "." + engine + "." + engineSecret(p.secret(), engine);
    }

    /** Returns {@code HMAC-SHA-256(salt, secret)}. */
    public static byte[] hash(byte[] salt, String secret) {
        return mac(salt, secret.getBytes(StandardCharsets.US_ASCII));
    }

    /** Returns whether {@code secret} hashes to {@code stored} under {@code salt}, in constant time. */
    public static boolean matches(byte[] salt, byte[] stored, String secret) {
        return stored != null && MessageDigest.isEqual(stored, hash(salt, secret));
    }

    private static String engineSecret(String secret, String engine) {
        return B64.encodeToString(mac(
                secret.getBytes(StandardCharsets.US_ASCII),
                ("tandem engine key v1\n" + engine).getBytes(StandardCharsets.US_ASCII)));
    }

    private static byte[] mac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return B64.encodeToString(b);
    }
}
