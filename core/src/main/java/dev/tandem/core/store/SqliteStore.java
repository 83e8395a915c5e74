package dev.tandem.core.store;

import dev.tandem.core.jobs.JobRepository;
import dev.tandem.core.memory.MemoryRepository;
import dev.tandem.core.telemetry.CommandLog;
import dev.tandem.core.telemetry.TelemetryRepository;
import java.time.Clock;

/** {@link Store} on one SQLite file: WAL, {@code synchronous=FULL}, FTS5 for memories. */
final class SqliteStore implements Store {
    private final StoreSettings settings;
    private final SqliteConnections db;
    private final SqliteMemoryRepository memories;
    private final SqliteTelemetryRepository telemetry;
    private final SqliteCommandLog commandLog;
    private final SqliteJobRepository jobs;

    private SqliteStore(StoreSettings settings, SqliteConnections db, Clock clock) {
        this.settings = settings;
        this.db = db;
        this.memories = new SqliteMemoryRepository(db, clock);
        this.telemetry = new SqliteTelemetryRepository(db, settings.host());
        this.commandLog = new SqliteCommandLog(db, clock);
        this.jobs = new SqliteJobRepository(db);
    }

    static Store open(StoreSettings settings) {
        return open(settings, Clock.systemUTC());
    }

    /** Opens with {@code clock} for the times repositories record (tests step it). */
    static SqliteStore open(StoreSettings settings, Clock clock) {
        SqliteConnections db = SqliteConnections.open(settings.database());
        try {
            Migrations.apply(db);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return new SqliteStore(settings, db, clock);
    }

    static Store openReadOnly(StoreSettings settings) {
        SqliteConnections db = SqliteConnections.openReadOnly(settings.database());
        try {
            Migrations.check(db);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return new SqliteStore(settings, db, Clock.systemUTC());
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
    public JobRepository jobs() {
        return jobs;
    }

    @Override
    public void close() {
        db.close();
    }
}
