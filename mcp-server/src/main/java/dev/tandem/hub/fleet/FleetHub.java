package dev.tandem.hub.fleet;

import dev.tandem.core.config.ConfigException;
import dev.tandem.core.config.HubConfig;
import dev.tandem.core.fleet.FleetRepository;
import dev.tandem.core.store.Store;
import dev.tandem.core.store.StoreSettings;

/** A fleet hub's own connection to the shared store: the host keys it accepts and the kill switch it obeys. */
public final class FleetHub implements AutoCloseable {
    private final Store store;
    private final FleetKeys keys;

    private FleetHub(Store store, FleetKeys keys) {
        this.store = store;
        this.keys = keys;
    }

    /** Opens the fleet of the PostgreSQL store {@code config} names. */
    public static FleetHub open(HubConfig config) {
        Store store = Store.open(StoreSettings.from(config));
        try {
            FleetRepository fleet = store.fleet()
                    .orElseThrow(() -> new ConfigException("the fleet needs a PostgreSQL store: set [store] url"));
            return new FleetHub(store, new FleetKeys(fleet));
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Returns the host keys and kill switch. */
    public FleetKeys keys() {
        return keys;
    }

    /** Returns the fleet's store: its hosts' usage goes there too. */
    public Store store() {
        return store;
    }

    /** Returns the fleet's rows. */
    public FleetRepository repository() {
        return store.fleet().orElseThrow();
    }

    @Override
    public void close() {
        keys.close();
        store.close();
    }
}
