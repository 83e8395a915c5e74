package dev.tandem.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.memory.HistoryEntry;
import dev.tandem.core.memory.ImportResult;
import dev.tandem.core.memory.ListQuery;
import dev.tandem.core.memory.Memory;
import dev.tandem.core.memory.MemoryDraft;
import dev.tandem.core.memory.MemoryRepository;
import dev.tandem.core.memory.Owner;
import dev.tandem.core.memory.Page;
import dev.tandem.core.memory.Scope;
import dev.tandem.core.memory.SearchQuery;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteMemoryRepositoryTest {
    @TempDir
    Path dir;

    private final Owner claude = new Owner("claude", "box");

    private static MemoryDraft draft(String content) {
        return new MemoryDraft(content, "", content, List.of(), Scope.SHARED);
    }

    private static Store open(Path file) {
        return Store.open(new StoreSettings(file, "box"));
    }

    @Test
    void thirtyTwoConcurrentWritersNeverSeeDatabaseLocked() throws Exception {
        int writers = 32;
        int each = 8;
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();
        try (Store repo = open(dir.resolve("memory.db"));
                ExecutorService pool = Executors.newFixedThreadPool(writers)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        try {
                            Memory m = repo.memories().insert(claude, draft("writer " + writer + " note " + i));
                            ids.add(m.id());
                            String edited = "writer " + writer + " note " + i + " edited";
                            repo.memories().update(claude, m.id(), current -> draft(edited));
                            repo.memories().search(claude, new SearchQuery("note", List.of(), Optional.empty(), 5));
                        } catch (RuntimeException e) {
                            errors.add(e);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
            assertEquals(List.of(), List.copyOf(errors));
            assertEquals(writers * each, ids.size());
            assertEquals((long) writers * each, ids.stream().distinct().count());
            Page all = repo.memories().list(claude, new ListQuery(List.of(), Optional.empty(), 0, writers * each + 1));
            assertEquals(writers * each, all.items().size());
            assertTrue(all.items().stream().allMatch(m -> m.version() == 2));
        }
    }

    @Test
    void twoProcessesWorthOfConnectionsShareTheFileWithoutLockErrors() throws Exception {
        Path db = dir.resolve("memory.db");
        try (Store hub = open(db);
                Store importer = open(db);
                ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<Memory>> done = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                MemoryRepository repo = (i % 2 == 0 ? hub : importer).memories();
                int n = i;
                done.add(pool.submit(() -> repo.insert(claude, draft("note " + n))));
            }
            for (Future<Memory> f : done) {
                f.get();
            }
            assertEquals(
                    80,
                    hub.memories()
                            .list(claude, new ListQuery(List.of(), Optional.empty(), 0, 100))
                            .items()
                            .size());
        }
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
                            "6 006-telemetry-credential.sql"),
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
    void historyRowsCannotBeChanged() throws SQLException {
        Path db = dir.resolve("memory.db");
        try (Store repo = open(db)) {
            repo.memories().insert(claude, draft("keep me"));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement st = c.createStatement()) {
            SQLException e =
                    assertThrows(SQLException.class, () -> st.executeUpdate("UPDATE memory_history SET content = 'x'"));
            assertTrue(e.getMessage().contains("append-only"), e.getMessage());
            assertThrows(SQLException.class, () -> st.executeUpdate("DELETE FROM memory_history"));
        }
    }

    @Test
    void importingTheSameHistoryTwiceAddsNothingTheSecondTime() {
        List<HistoryEntry> history = new ArrayList<>();
        try (Store source = open(dir.resolve("a.db"))) {
            Memory kept = source.memories().insert(claude, draft("kept"));
            source.memories().update(claude, kept.id(), current -> draft("kept, edited"));
            Memory gone = source.memories().insert(claude, draft("gone"));
            source.memories().delete(claude, gone.id());
            source.memories().exportHistory(history::add);
        }
        try (Store target = open(dir.resolve("b.db"))) {
            assertEquals(new ImportResult(4, 0), target.memories().importHistory(history));
            assertEquals(new ImportResult(0, 4), target.memories().importHistory(history));
            List<Memory> items = target.memories()
                    .list(claude, new ListQuery(List.of(), Optional.empty(), 0, 10))
                    .items();
            assertEquals(
                    List.of("kept, edited"), items.stream().map(Memory::content).toList());
            assertEquals(2, items.get(0).version());
            List<HistoryEntry> again = new ArrayList<>();
            target.memories().exportHistory(again::add);
            assertEquals(history, again);
        }
    }

    @Test
    void importBringsAnOlderCopyUpToTheNewerVersion() {
        List<HistoryEntry> v1 = new ArrayList<>();
        List<HistoryEntry> all = new ArrayList<>();
        try (Store source = open(dir.resolve("a.db"))) {
            Memory m = source.memories().insert(claude, draft("first"));
            source.memories().exportHistory(v1::add);
            source.memories().update(claude, m.id(), current -> draft("second"));
            source.memories().exportHistory(all::add);
        }
        try (Store target = open(dir.resolve("b.db"))) {
            target.memories().importHistory(v1);
            assertEquals(new ImportResult(1, 1), target.memories().importHistory(all));
            assertEquals(
                    "second",
                    target.memories()
                            .find(claude, all.get(0).memory().id())
                            .orElseThrow()
                            .content());
        }
    }
}
