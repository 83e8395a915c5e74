package dev.tandem.hub.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A token for https remotes whose URL starts with {@code urlPrefix}, from {@code [git.credentials."PREFIX"]}.
 *
 * @param urlPrefix e.g. {@code https://github.com} or {@code https://github.com/acme/}
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
    }

    /** Returns whether this credential applies to {@code url} (scheme, host and path, no user info). */
    boolean matches(String url) {
        return url.startsWith(urlPrefix);
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
