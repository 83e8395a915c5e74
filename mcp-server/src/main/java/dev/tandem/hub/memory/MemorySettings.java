package dev.tandem.hub.memory;

import dev.tandem.core.config.HubConfig;
import dev.tandem.core.store.StoreSettings;
import java.nio.file.Path;
import java.util.Objects;

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
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
        }
    }

    /** Reads {@code [memory] max_bytes}; the store and the host are the configuration's ({@link StoreSettings}). */
    public static MemorySettings from(HubConfig config) {
        StoreSettings store = StoreSettings.from(config);
        long max = config.reader("memory").whole("max_bytes", 1, Integer.MAX_VALUE, DEFAULT_MAX_BYTES);
        return new MemorySettings(store.database(), store.host(), (int) max);
    }

    /** Returns where the store is and whose rows it writes. */
    public StoreSettings store() {
        return new StoreSettings(database, host);
    }
}
