package dev.tandem.hub.git;

import dev.tandem.core.config.ConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

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
     * @param git the section (empty when absent)
     * @param file the configuration file, for messages and relative {@code token_file} paths
     * @param home the user's home ({@code ~} in paths, and {@code ~/.ssh})
     */
    public static GitSettings from(TomlTable git, Path file, Path home) {
        for (String key : git.keySet()) {
            if (!KEYS.contains(key)) {
                throw new ConfigException(where(file, git, List.of(key)) + ": unknown key [git] " + key);
            }
        }
        Optional<String> name = string(git, file, List.of("author_name"), "[git] author_name");
        Optional<String> email = string(git, file, List.of("author_email"), "[git] author_email");
        boolean allowForce = false;
        if (git.contains("allow_force")) {
            if (!git.isBoolean("allow_force")) {
                throw new ConfigException(
                        where(file, git, List.of("allow_force")) + ": [git] allow_force must be true or false");
            }
            allowForce = Boolean.TRUE.equals(git.getBoolean("allow_force"));
        }
        int maxDiff = DEFAULT_MAX_DIFF_BYTES;
        if (git.contains("max_diff_bytes")) {
            Long v = git.isLong("max_diff_bytes") ? git.getLong("max_diff_bytes") : null;
            if (v == null || v < 1 || v > Integer.MAX_VALUE) {
                throw new ConfigException(where(file, git, List.of("max_diff_bytes"))
                        + ": [git] max_diff_bytes must be a positive whole number");
            }
            maxDiff = v.intValue();
        }
        return new GitSettings(name, email, allowForce, maxDiff, credentials(git, file, home), home);
    }

    private static List<HttpsCredential> credentials(TomlTable git, Path file, Path home) {
        if (!git.contains("credentials")) {
            return List.of();
        }
        if (!git.isTable("credentials")) {
            throw new ConfigException(where(file, git, List.of("credentials"))
                    + ": [git] credentials must be tables named by URL prefix");
        }
        TomlTable all = Objects.requireNonNull(git.getTable("credentials"));
        List<HttpsCredential> out = new ArrayList<>();
        for (Map.Entry<String, Object> e : all.entrySet()) {
            String prefix = e.getKey();
            String label = "[git.credentials.\"" + prefix + "\"]";
            if (!(e.getValue() instanceof TomlTable t)) {
                throw new ConfigException(where(file, all, List.of(prefix)) + ": " + label + " must be a table");
            }
            try {
                UrlScope.parse(prefix);
            } catch (IllegalArgumentException bad) {
                throw new ConfigException(where(file, all, List.of(prefix)) + ": " + label + " " + bad.getMessage());
            }
            for (String key : t.keySet()) {
                if (!CREDENTIAL_KEYS.contains(key)) {
                    throw new ConfigException(where(file, t, List.of(key)) + ": unknown key " + label + " " + key);
                }
            }
            String user =
                    string(t, file, List.of("username"), label + " username").orElse(HttpsCredential.DEFAULT_USERNAME);
            Optional<String> token = string(t, file, List.of("token"), label + " token");
            Optional<Path> tokenFile = string(t, file, List.of("token_file"), label + " token_file")
                    .map(s -> resolve(s, file, home));
            if (token.isPresent() == tokenFile.isPresent()) {
                throw new ConfigException(where(file, all, List.of(prefix)) + ": " + label
                        + " needs exactly one of token and token_file");
            }
            out.add(new HttpsCredential(prefix, user, token, tokenFile));
        }
        return out;
    }

    private static Path resolve(String s, Path file, Path home) {
        if (s.equals("~")) {
            return home;
        }
        if (s.startsWith("~/")) {
            return home.resolve(s.substring(2));
        }
        Path base = file.toAbsolutePath().getParent();
        return base == null ? Path.of(s) : base.resolve(s);
    }

    private static Optional<String> string(TomlTable t, Path file, List<String> key, String label) {
        if (!t.contains(key)) {
            return Optional.empty();
        }
        if (!(t.get(key) instanceof String s) || s.isBlank()) {
            throw new ConfigException(where(file, t, key) + ": " + label + " must be a non-empty string");
        }
        return Optional.of(s);
    }

    private static String where(Path file, TomlTable table, List<String> key) {
        TomlPosition pos = table.inputPositionOf(key);
        return pos == null ? file.toString() : file + ":" + pos.line() + ":" + pos.column();
    }
}
