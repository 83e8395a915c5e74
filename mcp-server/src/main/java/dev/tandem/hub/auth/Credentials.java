package dev.tandem.hub.auth;

import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.TokenFile;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The credentials the hub accepts on {@code /mcp}: the person's token and each engine's own, every one as its file
 * holds it now ({@link LiveToken}), so rotating or revoking one takes effect with the next request and leaves the
 * others working. The header is compared with every credential in constant time, whichever matches.
 */
public final class Credentials {
    private final Map<Credential, Supplier<Optional<String>>> tokens;
    private final HostKeys hosts;

    /** The credentials in the order they are tried; the person's token first. */
    public Credentials(Map<Credential, Supplier<Optional<String>>> tokens) {
        this(tokens, HostKeys.NONE);
    }

    /** The credentials of this machine, and the keys of the fleet's enrolled hosts. */
    public Credentials(Map<Credential, Supplier<Optional<String>>> tokens, HostKeys hosts) {
        this.tokens = new LinkedHashMap<>(tokens);
        this.hosts = hosts;
    }

    /**
     * Follows the credential files of {@code config}: the person's token (made when missing) and each engine's own
     * beside it ({@code tokens/codex}, {@code tokens/claude}), which may appear (push-runtime), change (rotate) or go
     * (revoke) while the hub runs. One follower per file serves the whole hub, so each change is read and logged once.
     */
    public static Credentials follow(HubConfig config) {
        TokenFile person = new TokenFile(config.tokenFile());
        Map<Credential, Supplier<Optional<String>>> tokens = new LinkedHashMap<>();
        tokens.put(Credential.PERSON, new LiveToken(person, person.loadOrCreate()));
        for (String engine : HubConfig.ENGINES) {
            tokens.put(Credential.engine(engine), LiveToken.optional(new TokenFile(config.engineTokenFile(engine))));
        }
        return new Credentials(tokens);
    }

    /** Returns these credentials with the keys of the fleet's enrolled hosts; the same files' followers. */
    public Credentials withHosts(HostKeys keys) {
        return new Credentials(tokens, keys);
    }

    /** Returns every credential of this machine as its file holds it now, the person's token first. */
    public List<Supplier<Optional<String>>> all() {
        return List.copyOf(tokens.values());
    }

    /** Returns the fleet's host keys and kill switch ({@link HostKeys#NONE} on a hub that is no fleet hub). */
    public HostKeys hosts() {
        return hosts;
    }

    /** Returns credentials of the person's token alone (tests, and hubs started without engine credentials). */
    public static Credentials person(Supplier<Optional<String>> token) {
        return new Credentials(Map.of(Credential.PERSON, token));
    }

    /** Returns the person's token as it is now. */
    public Supplier<Optional<String>> person() {
        return tokens.getOrDefault(Credential.PERSON, Optional::empty);
    }

    /** Returns which credential of this machine the header {@code Bearer <token>} carries, if any. */
    public Optional<Credential> identify(Optional<String> authorization) {
        return identify(authorization, "");
    }

    /**
     * Returns which credential the header {@code Bearer <token>} carries, if any: one of this machine's, or the key
     * of an enrolled host used from {@code sourceIp} (the fleet checks its binding).
     */
    public Optional<Credential> identify(Optional<String> authorization, String sourceIp) {
        if (authorization.isEmpty()) {
            return Optional.empty();
        }
        String value = authorization.get();
        // The scheme is case-insensitive (RFC 9110 section 11.1); the token is not.
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = value.substring(7);
        if (dev.tandem.core.fleet.HostKey.looksLike(token)) {
            // the prefix is public: branching on it tells nothing about any secret
            return sourceIp.isEmpty() ? Optional.empty() : hosts.identify(token, sourceIp);
        }
        byte[] given = token.getBytes(StandardCharsets.UTF_8);
        Credential found = null;
        for (Map.Entry<Credential, Supplier<Optional<String>>> e : tokens.entrySet()) {
            Optional<String> current = e.getValue().get();
            // every credential is compared, so the time taken does not tell which one (or none) matched
            boolean same = current.isPresent()
                    && MessageDigest.isEqual(given, current.get().getBytes(StandardCharsets.US_ASCII));
            if (same && found == null) {
                found = e.getKey();
            }
        }
        return Optional.ofNullable(found);
    }
}
