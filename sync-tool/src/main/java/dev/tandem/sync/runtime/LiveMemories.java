package dev.tandem.sync.runtime;

import dev.tandem.core.memory.ListQuery;
import dev.tandem.core.memory.Memory;
import dev.tandem.core.memory.Owner;
import dev.tandem.core.store.Store;
import dev.tandem.core.store.StoreException;
import dev.tandem.core.store.StoreSettings;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The memories each engine sees, read once from the hub's store, read-only, through the store's own repository.
 *
 * @param byEngine the most recent memories per engine, newest first; empty when the store could not be read
 * @param problem why the store could not be read
 */
record LiveMemories(Map<String, List<Memory>> byEngine, Optional<String> problem) {
    /** At most this many memories go into a document. */
    static final int MAX = 50;

    LiveMemories {
        byEngine = Map.copyOf(byEngine);
    }

    /**
     * Reads the store the hub's configuration names, through the hub's own repository ({@link StoreSettings#from}:
     * {@code [hub] data_dir}, {@code TANDEM_DATA_DIR}; the host from {@code [memory] host}): for each engine its
     * own {@code client} memories on this host, the {@code host} ones of this host and the {@code shared} ones.
     * Never creates or migrates the store; a missing, locked or unreadable one is a problem.
     */
    static LiveMemories read(Settings settings, List<String> engines) {
        try {
            StoreSettings store = StoreSettings.from(settings.config());
            Map<String, List<Memory>> out = new LinkedHashMap<>();
            try (Store opened = Store.openReadOnly(store)) {
                for (String engine : engines) {
                    ListQuery newest = new ListQuery(List.of(), Optional.empty(), 0, MAX);
                    out.put(
                            engine,
                            opened.memories()
                                    .list(new Owner(engine, store.host()), newest)
                                    .items());
                }
            }
            return new LiveMemories(out, Optional.empty());
        } catch (StoreException | UncheckedIOException e) {
            return new LiveMemories(Map.of(), Optional.of(e.getMessage()));
        }
    }

    /** Returns the memories of {@code engine}, or empty when the store could not be read. */
    Optional<List<Memory>> of(String engine) {
        return Optional.ofNullable(byEngine.get(engine));
    }
}
