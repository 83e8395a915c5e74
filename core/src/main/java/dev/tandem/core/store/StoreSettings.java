package dev.tandem.core.store;

import dev.tandem.core.config.HubConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the store is and whose rows this process writes.
 *
 * @param database the SQLite file, {@code <data dir>/memory.db}
 * @param host the name this machine's memories, telemetry and command log rows are recorded under
 */
public record StoreSettings(Path database, String host) {
    /** The store's file in the data folder (its name predates the telemetry tables it also holds). */
    public static final String FILE_NAME = "memory.db";

    public StoreSettings {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
    }

    /**
     * Returns the store the configuration names: {@value #FILE_NAME} in its data folder, rows recorded under
     * {@code [memory] host} (default: this machine's host name). The hub and the sync tool both call this, so both
     * open the same file and see the same host.
     */
    public static StoreSettings from(HubConfig config) {
        String host = config.reader("memory").nonBlank("host").orElseGet(StoreSettings::localHostName);
        return new StoreSettings(config.dataDir().resolve(FILE_NAME), host);
    }

    /** Returns this machine's host name, or {@code localhost} when it has none that resolves. */
    static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
