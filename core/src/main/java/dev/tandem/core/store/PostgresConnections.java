package dev.tandem.core.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The connections to one PostgreSQL database: a HikariCP pool (https://github.com/brettwooldridge/HikariCP), the
 * schema brought up to date by Flyway from {@code db/migration/postgresql} (https://documentation.red-gate.com/fd/).
 *
 * <p>Writes run in one transaction at READ COMMITTED; rows a write reads to change are locked ({@link
 * Dialect#forUpdate()}, {@link Dialect#serialize}), so writers of several stores, in this process or on other
 * machines, never lose each other's work. Every error names the URL, which never holds the password.
 */
final class PostgresConnections implements Connections {
    /** Where the versioned scripts are, on the class path. */
    static final String MIGRATIONS = "classpath:db/migration/postgresql";

    private static final int POOL_SIZE = 8;

    private final PostgresLocation location;
    private final HikariDataSource pool;

    private PostgresConnections(PostgresLocation location, HikariDataSource pool) {
        this.location = location;
        this.pool = pool;
    }

    /**
     * Opens a pool to the database and migrates its schema to the newest version; {@code readOnly}: every
     * connection is read-only and the schema must already be the newest (it is never migrated).
     */
    static PostgresConnections open(PostgresLocation location, boolean readOnly) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("tandem-store");
        config.setJdbcUrl(location.jdbcUrl());
        config.setUsername(location.user());
        location.password().ifPresent(config::setPassword);
        for (Map.Entry<String, String> option : location.options().entrySet()) {
            config.addDataSourceProperty(option.getKey(), option.getValue());
        }
        config.addDataSourceProperty("ApplicationName", location.options().getOrDefault("ApplicationName", "tandem"));
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(1);
        config.setAutoCommit(true);
        config.setReadOnly(readOnly);
        config.setConnectionTimeout(10_000);
        // fail at open, with the server's reason, instead of at the first query
        config.setInitializationFailTimeout(1);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException(location + ": cannot connect to the store: " + reason(e), e);
        }
        PostgresConnections db = new PostgresConnections(location, pool);
        try {
            Flyway flyway = Flyway.configure(PostgresConnections.class.getClassLoader())
                    .dataSource(pool)
                    .locations(MIGRATIONS)
                    .table("schema_version")
                    .cleanDisabled(true)
                    // through SLF4J: quiet unless the process configures a logger (java.util.logging would print to
                    // stderr)
                    .loggers("slf4j")
                    .load();
            refuseNewer(location, flyway);
            if (readOnly) {
                check(location, flyway);
            } else {
                MigrateResult result = flyway.migrate();
                if (!result.success) {
                    throw new StoreException(location + ": the store's schema could not be migrated");
                }
                check(location, flyway);
            }
        } catch (FlywayException e) {
            db.close();
            throw new StoreException(location + ": " + reason(e), e);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    /** Refuses a database whose schema is older than this Tandem's scripts. */
    private static void check(PostgresLocation location, Flyway flyway) {
        if (flyway.info().pending().length > 0) {
            throw new StoreException(location + ": the store's schema is older than this Tandem's:"
                    + " start the hub once to migrate it");
        }
    }

    /** Refuses a database a newer Tandem migrated: Flyway itself lets such "future" migrations pass. */
    private static void refuseNewer(PostgresLocation location, Flyway flyway) {
        for (MigrationInfo m : flyway.info().all()) {
            if (m.getState() == MigrationState.FUTURE_SUCCESS || m.getState() == MigrationState.FUTURE_FAILED) {
                throw new StoreException(location + ": the store has schema version " + m.getVersion()
                        + ", newer than this Tandem knows: use a newer Tandem");
            }
        }
    }

    /** Returns the first line of a failure's message: the server's reason, never the password. */
    private static String reason(Throwable e) {
        Throwable root = e;
        for (int depth = 0; root.getCause() != null && depth < 8; depth++) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    @Override
    public Dialect dialect() {
        return Dialect.POSTGRESQL;
    }

    @Override
    public <T> T write(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException(location + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code work} in one transaction with {@code synchronous_commit} off: atomic, its commit not waited for. */
    @Override
    public <T> T writeDerived(Work<T> work) {
        return write(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("SET LOCAL synchronous_commit = off");
            }
            return work.run(c);
        });
    }

    @Override
    public <T> T read(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException(location + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
