package dev.tandem.core.store;

import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.Section;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where the store is and whose rows this process writes.
 *
 * @param database the SQLite file, {@code <data dir>/memory.db}: the store unless {@code postgres} is set (then
 *     what {@code tandem store migrate} copies from)
 * @param host the name this machine's memories, telemetry and command log rows are recorded under
 * @param postgres the PostgreSQL database {@code [store] url} names, when it names one
 */
public record StoreSettings(Path database, String host, Optional<PostgresLocation> postgres) {
    /** The store's file in the data folder (its name predates the telemetry tables it also holds). */
    public static final String FILE_NAME = "memory.db";

    /** The environment variable that holds the PostgreSQL password (it wins over {@code [store] password_file}). */
    public static final String PASSWORD_ENV = "TANDEM_STORE_PASSWORD";

    public StoreSettings {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(postgres, "postgres");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
    }

    /** The embedded SQLite store in {@code database}. */
    public StoreSettings(Path database, String host) {
        this(database, host, Optional.empty());
    }

    /** Returns these settings with the store in PostgreSQL at {@code location}. */
    public StoreSettings withPostgres(PostgresLocation location) {
        return new StoreSettings(database, host, Optional.of(location));
    }

    /** Returns where the store is, for messages: the PostgreSQL URL (never its password) or the SQLite file. */
    public String where() {
        return postgres.map(PostgresLocation::toString).orElseGet(database::toString);
    }

    /**
     * Returns the store the configuration names: {@value #FILE_NAME} in its data folder, rows recorded under
     * {@code [memory] host} (default: this machine's host name). The hub and the sync tool both call this, so both
     * open the same file and see the same host.
     */
    public static StoreSettings from(HubConfig config) {
        String host = host(config);
        Section store = config.reader("store");
        Optional<PostgresLocation> postgres = postgres(store, config.sections().env(PASSWORD_ENV));
        return new StoreSettings(config.dataDir().resolve(FILE_NAME), host, postgres);
    }

    /** Returns the host this hub records its rows under: {@code [memory] host}, default this machine's name. */
    public static String host(HubConfig config) {
        return config.reader("memory").nonBlank("host").orElseGet(StoreSettings::localHostName);
    }

    /**
     * Reads {@code [store] url} and the password: {@code TANDEM_STORE_PASSWORD} if set, else the first line of
     * {@code [store] password_file}. A password in the file itself ({@code password = …}, or inside the URL) is
     * refused with the file and line; no error repeats a password.
     */
    static Optional<PostgresLocation> postgres(Section store, Optional<String> passwordFromEnv) {
        for (String key : store.keys()) {
            if (key.equalsIgnoreCase("password") || key.equalsIgnoreCase("pass")) {
                throw store.error(
                        key,
                        "is refused: a password never goes in the configuration file; put it in"
                                + " [store] password_file (mode 600) or the environment variable " + PASSWORD_ENV);
            }
        }
        Optional<String> url = store.nonBlank("url");
        Optional<Path> passwordFile = store.path("password_file");
        if (url.isEmpty()) {
            if (passwordFile.isPresent()) {
                throw store.error("password_file", "needs [store] url = \"postgresql://…\" beside it");
            }
            return Optional.empty();
        }
        Optional<String> password =
                passwordFromEnv.isPresent() ? passwordFromEnv : passwordFile.map(file -> readPassword(store, file));
        try {
            return Optional.of(PostgresLocation.parse(url.get().strip(), password));
        } catch (IllegalArgumentException e) {
            throw store.error("url", e.getMessage());
        }
    }

    private static String readPassword(Section store, Path file) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            if (mode.contains(PosixFilePermission.GROUP_READ) || mode.contains(PosixFilePermission.OTHERS_READ)) {
                throw store.error("password_file", file + " can be read by other users: chmod 600 it");
            }
        } catch (UnsupportedOperationException e) {
            // no POSIX modes on this file system: nothing to check
        } catch (IOException e) {
            throw store.error(
                    "password_file", file + " cannot be read: " + e.getClass().getSimpleName());
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            String first = text.lines().findFirst().orElse("");
            if (first.isEmpty()) {
                throw store.error("password_file", file + " is empty");
            }
            return first;
        } catch (IOException e) {
            throw store.error(
                    "password_file", file + " cannot be read: " + e.getClass().getSimpleName());
        }
    }

    /**
     * Returns this machine's host name, or {@code localhost} when it has none that resolves: looked up on first use,
     * once per process, since the lookup is slow on some machines and several of the hub's parts ask.
     */
    public static String localHostName() {
        return LocalHost.NAME;
    }

    /**
     * The host name, looked up when this class is first used: the JVM initialises a class once, whichever thread asks
     * first (JLS 12.4.2, https://docs.oracle.com/javase/specs/jls/se25/html/jls-12.html#jls-12.4.2).
     */
    private static final class LocalHost {
        static final String NAME = lookup();

        private static String lookup() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "localhost";
            }
        }
    }
}
