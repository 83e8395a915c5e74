package dev.tandem.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.memory.ListQuery;
import dev.tandem.core.memory.MemoryDraft;
import dev.tandem.core.memory.Owner;
import dev.tandem.core.memory.Scope;
import dev.tandem.core.memory.SearchQuery;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
                            "7 007-host-scope.sql",
                            "8 008-usage-file-mtime.sql",
                            "9 009-usage-change.sql",
                            "10 010-usage-damaged.sql",
                            "11 011-job-protected-changes.sql"),
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

    @Test
    void versionSixStoreKeepsItsMemoriesSearchableAndTakesHostScopeAfterMigrating() throws Exception {
        Path db = dir.resolve("memory.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, script TEXT NOT NULL,"
                    + " applied INTEGER NOT NULL)");
            for (int v = 1; v <= 6; v++) {
                String script = Migrations.SCRIPTS.get(v - 1);
                try (InputStream in = Migrations.class.getResourceAsStream("schema/" + script)) {
                    st.executeUpdate(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
                st.executeUpdate("INSERT INTO schema_version VALUES (" + v + ", '" + script + "', 0)");
            }
            st.executeUpdate("INSERT INTO memory (id, version, title, content, summary, tags, scope, engine, host,"
                    + " created, updated) VALUES ('m1', 1, 'kafka', 'kafka retention is seven days', 's', '[]',"
                    + " 'client', 'codex', 'box', 1, 1)");
            st.executeUpdate("INSERT INTO memory_history (id, version, title, content, summary, tags, scope, engine,"
                    + " host, created, updated) VALUES ('m1', 1, 'kafka', 'kafka retention is seven days', 's', '[]',"
                    + " 'client', 'codex', 'box', 1, 1)");
        }
        try (Store store = open(db)) {
            Owner codex = new Owner("codex", "box");
            assertEquals(
                    1,
                    store.memories()
                            .search(codex, new SearchQuery("retention", List.of(), Optional.empty(), 5))
                            .size());
            store.memories().insert(codex, new MemoryDraft("host note", "", "host note", List.of(), Scope.HOST));
            // claude on the same host sees the new host memory, not codex's client one
            assertEquals(
                    1,
                    store.memories()
                            .list(new Owner("claude", "box"), new ListQuery(List.of(), Optional.empty(), 0, 10))
                            .items()
                            .size());
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement st = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> st.executeUpdate("DELETE FROM memory_history"));
            assertTrue(e.getMessage().contains("append-only"), e.getMessage());
        }
    }
}
