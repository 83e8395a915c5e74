package dev.tandem.core.store;

import dev.tandem.core.fleet.FleetRepository;
import dev.tandem.core.jobs.JobRepository;
import dev.tandem.core.memory.MemoryRepository;
import dev.tandem.core.telemetry.CommandLog;
import dev.tandem.core.telemetry.TelemetryRepository;
import dev.tandem.core.usage.UsageRepository;
import java.time.Clock;
import java.util.Optional;

/**
 * {@link Store} on SQLite (one file: WAL, {@code synchronous=FULL}, FTS5 for memories) or PostgreSQL (a pool of
 * connections, Flyway migrations, {@code tsvector} for memories): the repositories are the same, the few statements
 * the two spell differently come from {@link Connections#dialect()}.
 */
final class JdbcStore implements Store {
    private final StoreSettings settings;
    private final Connections db;
    private final SqliteMemoryRepository memories;
    private final SqliteTelemetryRepository telemetry;
    private final SqliteCommandLog commandLog;
    private final SqliteUsageRepository usage;
    private final SqliteJobRepository jobs;
    private final Optional<FleetRepository> fleet;

    private JdbcStore(StoreSettings settings, Connections db, Clock clock) {
        this.settings = settings;
        this.db = db;
        this.memories = new SqliteMemoryRepository(db, clock);
        this.telemetry = new SqliteTelemetryRepository(db, settings.host());
        this.commandLog = new SqliteCommandLog(db, clock);
        this.usage = new SqliteUsageRepository(db, settings.host());
        this.jobs = new SqliteJobRepository(db);
        this.fleet =
                db.dialect() == Dialect.POSTGRESQL ? Optional.of(new PostgresFleetRepository(db)) : Optional.empty();
    }

    static Store open(StoreSettings settings) {
        return open(settings, Clock.systemUTC());
    }

    /** Opens with {@code clock} for the times repositories record (tests step it). */
    static JdbcStore open(StoreSettings settings, Clock clock) {
        if (settings.postgres().isPresent()) {
            return new JdbcStore(
                    settings, PostgresConnections.open(settings.postgres().get(), false), clock);
        }
        SqliteConnections db = SqliteConnections.open(settings.database());
        try {
            Migrations.apply(db);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return new JdbcStore(settings, db, clock);
    }

    static Store openReadOnly(StoreSettings settings) {
        if (settings.postgres().isPresent()) {
            return new JdbcStore(
                    settings, PostgresConnections.open(settings.postgres().get(), true), Clock.systemUTC());
        }
        SqliteConnections db = SqliteConnections.openReadOnly(settings.database());
        try {
            Migrations.check(db);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return new JdbcStore(settings, db, Clock.systemUTC());
    }

    @Override
    public StoreSettings settings() {
        return settings;
    }

    @Override
    public MemoryRepository memories() {
        return memories;
    }

    @Override
    public TelemetryRepository telemetry() {
        return telemetry;
    }

    @Override
    public CommandLog commandLog() {
        return commandLog;
    }

    @Override
    public UsageRepository usage() {
        return usage;
    }

    @Override
    public UsageRepository usage(String host) {
        if (host.equals(settings.host())) {
            return usage;
        }
        // a new one each time: its cache of dimension ids lives as long as its caller's request, so what another
        // machine sends cannot grow this process's memory
        return new SqliteUsageRepository(db, host);
    }

    @Override
    public JobRepository jobs() {
        return jobs;
    }

    @Override
    public Optional<FleetRepository> fleet() {
        return fleet;
    }

    @Override
    public void close() {
        db.close();
    }
}
