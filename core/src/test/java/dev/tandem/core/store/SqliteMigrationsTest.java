package dev.tandem.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite store's own schema runner (the PostgreSQL store's is Flyway: {@link PostgresStoreTest}). */
class SqliteMigrationsTest {
    @TempDir
    Path dir;

    private static Store open(Path file) {
        return Store.open(new StoreSettings(file, "box"));
    }

    @Test
    void migrationsRecordTheSchemaVersionOnceAcrossReopens() throws SQLException {
        Path db = dir.resolve("memory.db");
        open(db).close();
        open(db).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT version, script FROM schema_version ORDER BY version")) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getInt(1) + " " + rs.getString(2));
            }
            assertEquals(
                    List.of(
                            "1 001-memories.sql",
                            "2 002-command-log.sql",
                            "3 003-telemetry.sql",
                            "4 004-jobs.sql",
                            "5 005-usage.sql",
                            "6 006-telemetry-credential.sql",
                            "7 007-usage-file-mtime.sql"),
                    rows);
        }
    }

    @Test
    void databaseFromANewerTandemIsRefused() throws SQLException {
        Path db = dir.resolve("memory.db");
        open(db).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO schema_version VALUES (99, '099-future.sql', 0)");
        }
        StoreException e = assertThrows(StoreException.class, () -> open(db));
        assertTrue(e.getMessage().contains("schema version 99"), e.getMessage());
    }
}
