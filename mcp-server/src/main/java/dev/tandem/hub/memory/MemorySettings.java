package dev.tandem.hub.memory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Objects;
import org.tomlj.TomlTable;

/**
 * The memory store's settings.
 *
 * @param database the SQLite file, {@code <data dir>/memory.db}
 * @param host the name this machine's memories are recorded under
 * @param maxBytes the largest accepted content, in UTF-8 bytes
 */
public record MemorySettings(Path database, String host, int maxBytes) {
    public static final int DEFAULT_MAX_BYTES = 64 * 1024;

    public MemorySettings {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new InvalidMemoryException("[memory] host must not be blank");
        }
        if (maxBytes < 1) {
            throw new InvalidMemoryException("[memory] max_bytes must be positive, got " + maxBytes);
        }
    }

    /** Reads {@code [memory] host} and {@code max_bytes}; the database lives in {@code dataDir}. */
    public static MemorySettings from(TomlTable section, Path dataDir) {
        String host = section.isString("host") ? section.getString("host") : localHostName();
        long max = section.isLong("max_bytes") ? section.getLong("max_bytes") : DEFAULT_MAX_BYTES;
        if (section.contains("host") && !section.isString("host")) {
            throw new InvalidMemoryException("[memory] host must be a string");
        }
        if (section.contains("max_bytes") && !section.isLong("max_bytes")) {
            throw new InvalidMemoryException("[memory] max_bytes must be a whole number");
        }
        if (max > Integer.MAX_VALUE) {
            throw new InvalidMemoryException("[memory] max_bytes is too large: " + max);
        }
        return new MemorySettings(dataDir.resolve("memory.db"), Objects.requireNonNull(host), (int) max);
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
