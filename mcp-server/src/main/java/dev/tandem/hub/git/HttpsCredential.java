package dev.tandem.hub.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jgit.transport.URIish;

/**
 * A token for https remotes under {@code urlPrefix}, from {@code [git.credentials."PREFIX"]}: same scheme, host
 * and port (see {@link UrlScope}), and a path at or below the prefix's path, segment by segment.
 *
 * @param urlPrefix e.g. {@code https://github.com} or {@code https://github.com/acme/}; no user name, query or
 *     fragment
 * @param username the user name sent with the token
 * @param token the token itself, when written inline
 * @param tokenFile a file holding the token, read at each use so a rotated token is picked up
 */
public record HttpsCredential(String urlPrefix, String username, Optional<String> token, Optional<Path> tokenFile) {
    /** Username GitHub documents for token authentication; any non-empty name works there. */
    public static final String DEFAULT_USERNAME = "x-access-token";

    public HttpsCredential {
        Objects.requireNonNull(urlPrefix, "urlPrefix");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(tokenFile, "tokenFile");
        if (token.isPresent() == tokenFile.isPresent()) {
            throw new IllegalArgumentException("exactly one of token and token_file is needed");
        }
        UrlScope.parse(urlPrefix);
    }

    UrlScope scope() {
        return UrlScope.parse(urlPrefix);
    }

    /** Returns whether this credential applies to {@code uri}: its origin, and its path prefix on segments. */
    boolean matches(URIish uri) {
        return scope().covers(uri);
    }

    /** Returns the forms the secret can take in text, for redaction: the token and the Basic credentials. */
    List<String> secretForms() {
        String secret;
        try {
            secret = new String(secret());
        } catch (GitException e) {
            return List.of();
        }
        if (secret.isEmpty()) {
            return List.of();
        }
        String basic = Base64.getEncoder().encodeToString((username + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return List.of(secret, basic);
    }

    /** Returns the secret; reading a token file that has gone is reported without its contents. */
    char[] secret() {
        if (token.isPresent()) {
            return token.get().toCharArray();
        }
        Path file = tokenFile.orElseThrow();
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip().toCharArray();
        } catch (IOException e) {
            throw new GitException("cannot read token_file " + file + " for " + urlPrefix, e);
        }
    }

    /** Does not print the token. */
    @Override
    public String toString() {
        return "HttpsCredential[" + urlPrefix + ", " + username + "]";
    }
}
