package dev.tandem.hub.memory;

import dev.tandem.core.config.HubConfig;
import dev.tandem.core.store.StoreSettings;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The memory store's settings.
 *
 * @param store where the store is (the SQLite file or the PostgreSQL database) and the host memories are recorded
 *     under
 * @param maxBytes the largest accepted content, in UTF-8 bytes
 */
public record MemorySettings(StoreSettings store, int maxBytes) {
    public static final int DEFAULT_MAX_BYTES = 64 * 1024;

    public MemorySettings {
        Objects.requireNonNull(store, "store");
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
        }
    }

    /** The embedded SQLite store in {@code database}. */
    public MemorySettings(Path database, String host, int maxBytes) {
        this(new StoreSettings(database, host), maxBytes);
    }

    /** Returns the SQLite file, {@code <data dir>/memory.db}. */
    public Path database() {
        return store.database();
    }

    /** Returns the name this machine's memories are recorded under. */
    public String host() {
        return store.host();
    }

    /** Reads {@code [memory] max_bytes}; the store and the host are the configuration's ({@link StoreSettings}). */
    public static MemorySettings from(HubConfig config) {
        StoreSettings store = StoreSettings.from(config);
        long max = config.reader("memory").whole("max_bytes", 1, Integer.MAX_VALUE, DEFAULT_MAX_BYTES);
        return new MemorySettings(store, (int) max);
    }
}
