package dev.tandem.core.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A PostgreSQL database the store lives in, from {@code [store] url = "postgresql://HOST[:PORT]/DB?user=NAME"}.
 * The password is never part of the URL or of {@code hub.toml}: it comes from {@code [store] password_file} or
 * {@code TANDEM_STORE_PASSWORD}, and {@link #toString()} leaves it out.
 *
 * @param url the URL as written (it holds no password: {@link #parse} refuses one)
 * @param jdbcUrl {@code jdbc:postgresql://HOST:PORT/DB}, without user, password or options
 * @param user the role to log in as
 * @param options the driver options of the URL's query ({@code sslmode}, …), by name
 * @param password the password, if one is configured
 */
public record PostgresLocation(
        String url, String jdbcUrl, String user, Map<String, String> options, Optional<String> password) {
    /** The query options passed on to the driver (https://jdbc.postgresql.org/documentation/use/). */
    static final Set<String> OPTIONS = Set.of(
            "sslmode",
            "sslrootcert",
            "sslcert",
            "sslkey",
            "connectTimeout",
            "socketTimeout",
            "ApplicationName",
            "currentSchema",
            "targetServerType");

    public PostgresLocation {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        options = Map.copyOf(options);
        Objects.requireNonNull(password, "password");
    }

    /** Returns whether {@code url} names PostgreSQL ({@code postgresql://} or {@code postgres://}). */
    public static boolean isPostgres(String url) {
        return url.startsWith("postgresql://") || url.startsWith("postgres://");
    }

    /**
     * Parses the URL. Thrown {@link IllegalArgumentException} whose message never repeats the URL (it may hold a
     * password): one with a password in it ({@code user:secret@} or {@code ?password=}) is refused.
     */
    public static PostgresLocation parse(String url, Optional<String> password) {
        if (!isPostgres(url)) {
            throw new IllegalArgumentException("must start with postgresql://");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a URL (postgresql://HOST:PORT/DATABASE?user=NAME)", e);
        }
        String user = null;
        String info = uri.getRawUserInfo();
        if (info != null) {
            if (info.contains(":")) {
                throw new IllegalArgumentException("must not hold a password: put it in [store] password_file or"
                        + " the environment variable TANDEM_STORE_PASSWORD");
            }
            user = decode(info);
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new IllegalArgumentException("names no host (postgresql://HOST:PORT/DATABASE?user=NAME)");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.length() < 2 || path.indexOf('/', 1) >= 0) {
            throw new IllegalArgumentException("names no database (postgresql://HOST:PORT/DATABASE?user=NAME)");
        }
        Map<String, String> options = new LinkedHashMap<>();
        if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
            for (String pair : uri.getRawQuery().split("&", -1)) {
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                if (key.equalsIgnoreCase("password")) {
                    throw new IllegalArgumentException("must not hold a password: put it in [store] password_file or"
                            + " the environment variable TANDEM_STORE_PASSWORD");
                }
                if (key.equals("user")) {
                    user = value;
                } else if (OPTIONS.contains(key)) {
                    options.put(key, value);
                } else {
                    throw new IllegalArgumentException(
                            "has the option '" + key + "' Tandem does not pass on (known: user, "
                                    + String.join(", ", new TreeSet<>(OPTIONS)) + ")");
                }
            }
        }
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("names no user (postgresql://HOST:PORT/DATABASE?user=NAME)");
        }
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        String jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + port + path;
        return new PostgresLocation(url, jdbc, user, options, password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** Returns this location with another password. */
    public PostgresLocation withPassword(Optional<String> other) {
        return new PostgresLocation(url, jdbcUrl, user, options, other);
    }

    /** Returns the URL: never the password. */
    @Override
    public String toString() {
        return url;
    }
}
