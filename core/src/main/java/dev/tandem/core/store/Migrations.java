package dev.tandem.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Brings a database to the newest schema by running the numbered scripts it has not seen, each in its own
 * transaction, and recording each in {@code schema_version}.
 */
final class Migrations {
    /** The scripts in order; script {@code i} (0-based) makes schema version {@code i + 1}. Only ever append. */
    static final List<String> SCRIPTS = List.of(
            "001-memories.sql",
            "002-command-log.sql",
            "003-telemetry.sql",
            "004-jobs.sql",
            "005-usage.sql",
            "006-telemetry-credential.sql",
            "007-host-scope.sql",
            "008-usage-file-mtime.sql",
            "009-usage-change.sql",
            "010-usage-damaged.sql",
            "011-job-protected-changes.sql");

    private Migrations() {}

    /** Migrates the database and returns the schema version it ends at. */
    static int apply(SqliteConnections db) {
        db.write(c -> {
            try (Statement st = c.createStatement()) {
                st.executeUpdate("CREATE TABLE IF NOT EXISTS schema_version ("
                        + "version INTEGER PRIMARY KEY, script TEXT NOT NULL, applied INTEGER NOT NULL)");
            }
            return null;
        });
        for (int v = 1; v <= SCRIPTS.size(); v++) {
            int version = v;
            // each script in its own transaction that first re-reads the version, so two processes
            // opening the same new file do not both run a script
            db.write(c -> migrateTo(c, version));
        }
        int current = db.read(Migrations::current);
        if (current > SCRIPTS.size()) {
            throw new StoreException("the memory database has schema version " + current
                    + " but this Tandem knows only up to " + SCRIPTS.size() + ": use a newer Tandem");
        }
        return current;
    }

    /** Checks, without writing, that the database is at exactly the schema version this code knows. */
    static void check(SqliteConnections db) {
        int current = db.read(Migrations::current);
        if (current != SCRIPTS.size()) {
            throw new StoreException("the memory database has schema version " + current + " but this Tandem reads "
                    + SCRIPTS.size() + (current < SCRIPTS.size() ? ": start the hub once to migrate it" : ""));
        }
    }

    private static Void migrateTo(Connection c, int version) throws SQLException {
        if (current(c) >= version) {
            return null;
        }
        String script = SCRIPTS.get(version - 1);
        try (Statement st = c.createStatement();
                PreparedStatement record =
                        c.prepareStatement("INSERT INTO schema_version (version, script, applied) VALUES (?, ?, ?)")) {
            // sqlite-jdbc runs a parameterless executeUpdate through sqlite3_exec, which runs every statement
            st.executeUpdate(read(script));
            record.setInt(1, version);
            record.setString(2, script);
            record.setLong(3, System.currentTimeMillis());
            record.executeUpdate();
        }
        return null;
    }

    private static int current(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static String read(String script) {
        try (InputStream in = Migrations.class.getResourceAsStream("schema/" + script)) {
            if (in == null) {
                throw new StoreException("migration script missing from the jar: " + script);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
