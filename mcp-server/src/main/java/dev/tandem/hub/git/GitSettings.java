package dev.tandem.hub.git;

import dev.tandem.core.config.ConfigException;
import dev.tandem.core.config.Section;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code [git]} section of {@code hub.toml}.
 *
 * @param authorName commit author when the repository's config names none
 * @param authorEmail commit author e-mail when the repository's config names none
 * @param allowForce whether {@code git_push} may force at all (it also needs {@code force: true})
 * @param maxDiffBytes the largest diff text returned, and the default cap
 * @param credentials https tokens, by URL prefix (origin and path segments)
 * @param home the folder whose {@code .ssh} holds keys, {@code known_hosts} and {@code config}
 */
public record GitSettings(
        Optional<String> authorName,
        Optional<String> authorEmail,
        boolean allowForce,
        int maxDiffBytes,
        List<HttpsCredential> credentials,
        Path home) {
    public static final String DEFAULT_AUTHOR_NAME = "Tandem hub";
    public static final String DEFAULT_AUTHOR_EMAIL = "tandem@localhost";
    public static final int DEFAULT_MAX_DIFF_BYTES = 256 * 1024;

    private static final Set<String> KEYS =
            Set.of("author_name", "author_email", "allow_force", "max_diff_bytes", "credentials");
    private static final Set<String> CREDENTIAL_KEYS = Set.of("username", "token", "token_file");

    public GitSettings {
        Objects.requireNonNull(authorName, "authorName");
        Objects.requireNonNull(authorEmail, "authorEmail");
        Objects.requireNonNull(home, "home");
        credentials = List.copyOf(credentials);
        if (maxDiffBytes < 1) {
            throw new IllegalArgumentException("maxDiffBytes must be positive");
        }
    }

    /** Returns every form the configured tokens take in text (token files read now), for redaction. */
    List<String> secrets() {
        List<String> out = new ArrayList<>();
        credentials.forEach(c -> out.addAll(c.secretForms()));
        return out;
    }

    /** Returns the settings used when {@code hub.toml} has no {@code [git]} section. */
    public static GitSettings defaults(Path home) {
        return new GitSettings(Optional.empty(), Optional.empty(), false, DEFAULT_MAX_DIFF_BYTES, List.of(), home);
    }

    /**
     * Reads {@code [git]}; a wrong key or type fails with the file, line and key in the message.
     *
     * @param git the section (empty when absent); a relative {@code token_file} is relative to the file's folder
     * @param home the user's home ({@code ~/.ssh})
     */
    public static GitSettings from(Section git, Path home) {
        git.allowOnly(KEYS);
        Optional<String> name = git.nonBlank("author_name");
        Optional<String> email = git.nonBlank("author_email");
        boolean allowForce = git.bool("allow_force", false);
        int maxDiff = (int) git.whole("max_diff_bytes", 1, Integer.MAX_VALUE, DEFAULT_MAX_DIFF_BYTES);
        return new GitSettings(name, email, allowForce, maxDiff, credentials(git), home);
    }

    private static List<HttpsCredential> credentials(Section git) {
        Optional<Section> all = git.table("credentials");
        if (all.isEmpty()) {
            return List.of();
        }
        List<HttpsCredential> out = new ArrayList<>();
        for (String prefix : all.get().keys()) {
            Section t = all.get().table(prefix).orElseThrow();
            String label = "[" + t.name() + "]";
            try {
                UrlScope.parse(prefix);
            } catch (IllegalArgumentException bad) {
                throw new ConfigException(all.get().where(prefix) + ": " + label + " " + bad.getMessage());
            }
            t.allowOnly(CREDENTIAL_KEYS);
            String user = t.nonBlank("username").orElse(HttpsCredential.DEFAULT_USERNAME);
            Optional<String> token = t.nonBlank("token");
            Optional<Path> tokenFile = t.path("token_file");
            if (token.isPresent() == tokenFile.isPresent()) {
                throw new ConfigException(
                        all.get().where(prefix) + ": " + label + " needs exactly one of token and token_file");
            }
            out.add(new HttpsCredential(prefix, user, token, tokenFile));
        }
        return out;
    }
}
