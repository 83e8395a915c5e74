package dev.tandem.core.store;

import dev.tandem.core.fleet.FleetRepository;
import dev.tandem.core.jobs.JobRepository;
import dev.tandem.core.memory.MemoryRepository;
import dev.tandem.core.telemetry.CommandLog;
import dev.tandem.core.telemetry.TelemetryRepository;
import dev.tandem.core.usage.UsageRepository;
import java.util.Optional;

/**
 * Tandem's durable state behind one interface per table family; the one place that knows a database. Callers get
 * repositories from here and never see SQL, so another backend (PostgreSQL) or another table family (jobs, usage)
 * is added here without touching them.
 *
 * <p>The database is the SQLite file in the data folder, or the PostgreSQL database {@code [store] url} names
 * ({@link StoreSettings#postgres()}). Every repository throws {@link StoreException} when the database fails.
 * Within one process the openers of the same SQLite file share one set of connections, so their writes queue on
 * one lock; each opener closes its own store.
 */
public interface Store extends AutoCloseable {
    /** Returns where the store is and whose rows it writes. */
    StoreSettings settings();

    /** Returns the memories. */
    MemoryRepository memories();

    /** Returns the record of hub requests. */
    TelemetryRepository telemetry();

    /** Returns the record of skill and command uses. */
    CommandLog commandLog();

    /** Returns the usage ledger read from the engines' logs. */
    UsageRepository usage();

    /**
     * Returns the usage ledger as another host writes it: the rows an enrolled machine reads from its own logs and
     * sends to the fleet hub ({@code tandem fleet push-usage}), recorded under that machine's name.
     */
    UsageRepository usage(String host);

    /** Returns the background jobs and their output. */
    JobRepository jobs();

    /** Returns the fleet's hosts, keys, kill switch and audit log: PostgreSQL only (docs/fleet.md). */
    default Optional<FleetRepository> fleet() {
        return Optional.empty();
    }

    @Override
    void close();

    /** Opens the store, creating it and bringing its schema up to date. */
    static Store open(StoreSettings settings) {
        return JdbcStore.open(settings);
    }

    /**
     * Opens an existing store read-only, for readers outside the hub (the sync tool): never creates or migrates it;
     * any write fails. Thrown {@link StoreException} when it is missing, unreadable, locked or at another schema
     * version.
     */
    static Store openReadOnly(StoreSettings settings) {
        return JdbcStore.openReadOnly(settings);
    }
}
