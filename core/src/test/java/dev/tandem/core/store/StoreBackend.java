package dev.tandem.core.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Where a contract test's stores live: a real SQLite file in the test's temp folder, or a real database on the test
 * run's PostgreSQL server ({@link PostgresServer}). Stores opened with the same name are the same database.
 */
abstract class StoreBackend {
    /** Returns the settings of store {@code name} recorded under {@code host}. */
    abstract StoreSettings settings(String name, String host);

    /** Returns a plain JDBC connection to store {@code name}'s database, past the repositories. */
    abstract Connection connect(String name) throws SQLException;

    /** Opens store {@code name} recorded under host {@code box}. */
    final Store open(String name) {
        return open(name, "box");
    }

    /** Opens store {@code name} recorded under {@code host}. */
    final Store open(String name, String host) {
        return Store.open(settings(name, host));
    }

    /** Opens store {@code name} with {@code clock} for the times repositories record. */
    final Store open(String name, Clock clock) {
        return JdbcStore.open(settings(name, "box"), clock);
    }

    /** SQLite files {@code <dir>/<name>.db}. */
    static StoreBackend sqlite(Path dir) {
        return new StoreBackend() {
            @Override
            StoreSettings settings(String name, String host) {
                return new StoreSettings(dir.resolve(name + ".db"), host);
            }

            @Override
            Connection connect(String name) throws SQLException {
                return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(name + ".db"));
            }

            @Override
            public String toString() {
                return "SQLite";
            }
        };
    }

    /** A new database on the test run's server per name, made on first use. */
    static StoreBackend postgres(Path dir) {
        PostgresServer server = PostgresServer.get();
        Map<String, PostgresLocation> made = new HashMap<>();
        return new StoreBackend() {
            @Override
            synchronized StoreSettings settings(String name, String host) {
                PostgresLocation at = made.computeIfAbsent(name, server::newDatabase);
                return new StoreSettings(dir.resolve(name + ".db"), host).withPostgres(at);
            }

            @Override
            Connection connect(String name) throws SQLException {
                String url = settings(name, "box").postgres().orElseThrow().jdbcUrl();
                return server.connect(url.substring(url.lastIndexOf('/') + 1));
            }

            @Override
            public String toString() {
                return "PostgreSQL";
            }
        };
    }
}
