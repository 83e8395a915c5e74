package dev.tandem.hub.cli;

import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.HubFlags;
import dev.tandem.core.fleet.FleetException;
import dev.tandem.core.fleet.FleetRepository;
import dev.tandem.core.store.Store;
import dev.tandem.core.store.StoreSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The fleet's store as the admin commands open it: the PostgreSQL store {@code [store] url} names, with its
 * password. Whoever can open it is the fleet's admin (docs/fleet.md, "Who is admin").
 */
final class FleetStore implements AutoCloseable {
    private final Store store;
    private final FleetRepository fleet;
    private final String actor;

    private FleetStore(Store store, FleetRepository fleet, String actor) {
        this.store = store;
        this.fleet = fleet;
        this.actor = actor;
    }

    /** Opens the fleet of the configuration at {@code config} (default {@code ~/.tandem/hub.toml}). */
    static FleetStore open(Path config) {
        HubFlags flags = new HubFlags(null, null, null, null, null, null, List.of(), null, null, null);
        HubConfig cfg = Environment.loader().load(Optional.ofNullable(config), flags);
        StoreSettings settings = StoreSettings.from(cfg);
        if (settings.postgres().isEmpty()) {
            throw new FleetException("the fleet needs a PostgreSQL store and " + settings.where()
                    + " is SQLite: set [store] url = \"postgresql://…\" in hub.toml (docs/fleet.md)");
        }
        Store store = Store.open(settings);
        return new FleetStore(store, store.fleet().orElseThrow(), "cli@" + settings.host());
    }

    FleetRepository fleet() {
        return fleet;
    }

    /** Returns who the audit log records for this command: {@code cli@HOST}. */
    String actor() {
        return actor;
    }

    @Override
    public void close() {
        store.close();
    }
}
