package dev.tandem.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.memory.HistoryEntry;
import dev.tandem.core.memory.ImportResult;
import dev.tandem.core.memory.ListQuery;
import dev.tandem.core.memory.Memory;
import dev.tandem.core.memory.MemoryDraft;
import dev.tandem.core.memory.MemoryNotFoundException;
import dev.tandem.core.memory.MemoryRepository;
import dev.tandem.core.memory.Owner;
import dev.tandem.core.memory.Page;
import dev.tandem.core.memory.Scope;
import dev.tandem.core.memory.SearchHit;
import dev.tandem.core.memory.SearchQuery;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Memories, their history and search: the contract every backend keeps. */
abstract class MemoryRepositoryContract {
    @TempDir
    Path dir;

    private StoreBackend backend;

    /** Returns where this run's stores live. */
    abstract StoreBackend backend(Path dir);

    @BeforeEach
    void pickBackend() {
        backend = backend(dir);
    }

    private final Owner claude = new Owner("claude", "box");

    private static MemoryDraft draft(String content) {
        return new MemoryDraft(content, "", content, List.of(), Scope.SHARED);
    }

    private Store open(String name) {
        return backend.open(name);
    }

    @Test
    void thirtyTwoConcurrentWritersNeverSeeDatabaseLocked() throws Exception {
        int writers = 32;
        int each = 8;
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();
        try (Store repo = open("memory");
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
        try (Store hub = open("memory");
                Store importer = open("memory");
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
    void historyRowsCannotBeChanged() throws SQLException {
        try (Store repo = open("memory")) {
            repo.memories().insert(claude, draft("keep me"));
        }
        try (Connection c = backend.connect("memory");
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
        try (Store source = open("a")) {
            Memory kept = source.memories().insert(claude, draft("kept"));
            source.memories().update(claude, kept.id(), current -> draft("kept, edited"));
            Memory gone = source.memories().insert(claude, draft("gone"));
            source.memories().delete(claude, gone.id());
            source.memories().exportHistory(history::add);
        }
        try (Store target = open("b")) {
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
    void importOfMoreMemoriesThanOneLookupCoversKeepsEachAtItsLatestVersion() {
        List<HistoryEntry> history = new ArrayList<>();
        List<Memory> expected;
        try (Store source = open("a")) {
            for (int i = 0; i < 1_100; i++) {
                Memory m = source.memories().insert(claude, draft("memory " + i));
                if (i % 7 == 0) {
                    source.memories().update(claude, m.id(), current -> draft(current.content() + ", edited"));
                }
                if (i % 10 == 0) {
                    source.memories().delete(claude, m.id());
                }
            }
            source.memories().exportHistory(history::add);
            expected = all(source);
        }
        try (Store target = open("b")) {
            assertEquals(new ImportResult(history.size(), 0), target.memories().importHistory(history));
            List<Memory> imported = all(target);
            assertEquals(990, imported.size());
            // the same memories at the same versions (the order of equal update times is the import's own)
            assertEquals(
                    expected.stream()
                            .map(m -> m.id() + "@" + m.version() + ":" + m.content())
                            .sorted()
                            .toList(),
                    imported.stream()
                            .map(m -> m.id() + "@" + m.version() + ":" + m.content())
                            .sorted()
                            .toList());
        }
    }

    /** Returns every memory the owner sees, in the store's list order. */
    private List<Memory> all(Store store) {
        List<Memory> out = new ArrayList<>();
        Page page;
        do {
            page = store.memories().list(claude, new ListQuery(List.of(), Optional.empty(), out.size(), 100));
            out.addAll(page.items());
        } while (page.more());
        return out;
    }

    @Test
    void importBringsAnOlderCopyUpToTheNewerVersion() {
        List<HistoryEntry> v1 = new ArrayList<>();
        List<HistoryEntry> all = new ArrayList<>();
        try (Store source = open("a")) {
            Memory m = source.memories().insert(claude, draft("first"));
            source.memories().exportHistory(v1::add);
            source.memories().update(claude, m.id(), current -> draft("second"));
            source.memories().exportHistory(all::add);
        }
        try (Store target = open("b")) {
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

    private static MemoryDraft draft(String title, String content, List<String> tags, Scope scope) {
        return new MemoryDraft(content, title, content, tags, scope);
    }

    private List<String> search(Store store, Owner who, String text, List<String> tags, Optional<Scope> scope, int n) {
        return store.memories().search(who, new SearchQuery(text, tags, scope, n)).stream()
                .map(h -> h.memory().content())
                .toList();
    }

    @Test
    void searchRanksTitleAboveBodyMarksTheMatchAndFindsOtherFormsOfAWord() {
        try (Store store = open("memory")) {
            store.memories()
                    .insert(
                            claude,
                            draft("", "We talked about many things; postgres came up once.", List.of(), Scope.SHARED));
            store.memories()
                    .insert(claude, draft("Postgres tuning", "Settings for the database.", List.of(), Scope.SHARED));
            store.memories().insert(claude, draft("", "We deployed the hub on Friday.", List.of(), Scope.SHARED));
            List<SearchHit> hits =
                    store.memories().search(claude, new SearchQuery("postgres", List.of(), Optional.empty(), 10));
            assertEquals(
                    List.of("Settings for the database.", "We talked about many things; postgres came up once."),
                    hits.stream().map(h -> h.memory().content()).toList());
            assertTrue(hits.get(0).score() > hits.get(1).score(), hits.toString());
            assertTrue(
                    hits.get(1).snippet().contains("**postgres**"), hits.get(1).snippet());
            SearchHit deployed = store.memories()
                    .search(claude, new SearchQuery("deploying", List.of(), Optional.empty(), 10))
                    .get(0);
            assertTrue(deployed.snippet().contains("**deployed**"), deployed.snippet());
        }
    }

    @Test
    void searchMatchesAnyOfTheWordsAndRanksMemoriesHoldingMoreOfThemFirst() {
        try (Store store = open("memory")) {
            store.memories().insert(claude, draft("", "gradle build cache", List.of(), Scope.SHARED));
            store.memories().insert(claude, draft("", "gradle wrapper only", List.of(), Scope.SHARED));
            store.memories().insert(claude, draft("", "nothing relevant", List.of(), Scope.SHARED));
            assertEquals(
                    List.of("gradle build cache", "gradle wrapper only"),
                    search(store, claude, "gradle cache", List.of(), Optional.empty(), 10));
        }
    }

    @Test
    void searchKeepsToWhatTheOwnerMaySeeToTheScopeTheTagsAndTheLimit() {
        Owner codex = new Owner("codex", "box");
        Owner codexElsewhere = new Owner("codex", "laptop");
        try (Store store = open("memory")) {
            store.memories().insert(claude, draft("", "kafka private to claude", List.of(), Scope.CLIENT));
            store.memories().insert(codex, draft("", "kafka private to codex", List.of("ops"), Scope.CLIENT));
            store.memories().insert(codex, draft("", "kafka shared ops", List.of("ops", "infra"), Scope.SHARED));
            store.memories().insert(claude, draft("", "kafka shared notes", List.of("infra"), Scope.SHARED));
            assertEquals(
                    Set.of("kafka private to codex", "kafka shared ops", "kafka shared notes"),
                    Set.copyOf(search(store, codex, "kafka", List.of(), Optional.empty(), 10)));
            assertEquals(
                    Set.of("kafka shared ops", "kafka shared notes"),
                    Set.copyOf(search(store, codexElsewhere, "kafka", List.of(), Optional.empty(), 10)));
            assertEquals(
                    List.of("kafka private to codex"),
                    search(store, codex, "kafka", List.of(), Optional.of(Scope.CLIENT), 10));
            assertEquals(
                    List.of("kafka shared ops"),
                    search(store, codex, "kafka", List.of("ops", "infra"), Optional.empty(), 10));
            assertEquals(
                    2,
                    search(store, codex, "kafka", List.of(), Optional.empty(), 2)
                            .size());
            assertEquals(
                    4,
                    search(store, new Owner(Owner.EVERY_ENGINE, "box"), "kafka", List.of(), Optional.empty(), 10)
                            .size());
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\"unbalanced quote",
                "a) OR (b",
                "NEAR(x y)",
                "-minus",
                "title:secret",
                "star*",
                "c++ {x}",
                "it's",
                "or"
            })
    void queryWithSearchSyntaxIsSearchedAsText(String query) {
        try (Store store = open("memory")) {
            store.memories()
                    .insert(
                            claude,
                            draft(
                                    "",
                                    "notes: foo bar, title secret, star and minus, it's c x",
                                    List.of(),
                                    Scope.SHARED));
            assertTrue(search(store, claude, query, List.of(), Optional.empty(), 10)
                            .size()
                    <= 1);
        }
    }

    @Test
    void listIsNewestWriteFirstAndPages() {
        try (Store store = open("memory")) {
            Memory a = store.memories().insert(claude, draft("a"));
            store.memories().insert(claude, draft("b"));
            store.memories().insert(claude, draft("c"));
            store.memories().update(claude, a.id(), m -> draft("a2"));
            Page first = store.memories().list(claude, new ListQuery(List.of(), Optional.empty(), 0, 2));
            Page second = store.memories().list(claude, new ListQuery(List.of(), Optional.empty(), 2, 2));
            assertEquals(
                    List.of("a2", "c"),
                    first.items().stream().map(Memory::content).toList());
            assertTrue(first.more());
            assertEquals(
                    List.of("b"), second.items().stream().map(Memory::content).toList());
            assertTrue(!second.more());
        }
    }

    @Test
    void concurrentUpdatesOfOneMemoryFromTwoStoresLoseNoVersion() throws Exception {
        int rounds = 20;
        try (Store one = open("memory");
                Store two = open("memory");
                ExecutorService pool = Executors.newFixedThreadPool(4)) {
            Memory m = one.memories().insert(claude, draft("0"));
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                Store store = i % 2 == 0 ? one : two;
                int n = i;
                done.add(pool.submit(() ->
                        store.memories().update(claude, m.id(), current -> draft(current.content() + "," + n))));
            }
            for (Future<?> f : done) {
                f.get();
            }
            Memory last = two.memories().find(claude, m.id()).orElseThrow();
            assertEquals(rounds + 1, last.version());
            assertEquals(rounds + 1, last.content().split(",").length, last.content());
            List<HistoryEntry> history = new ArrayList<>();
            one.memories().exportHistory(history::add);
            assertEquals(rounds + 1, history.size());
        }
    }

    @Test
    void hostScopedMemoryIsSeenByEveryEngineOnItsHostAndByNoOtherHost() {
        Owner codex = new Owner("codex", "box");
        Owner codexElsewhere = new Owner("codex", "laptop");
        try (Store store = open("memory")) {
            Memory m = store.memories().insert(claude, draft("", "kafka on this box", List.of(), Scope.HOST));
            store.memories().insert(claude, draft("", "kafka private to claude", List.of(), Scope.CLIENT));
            assertEquals(List.of("kafka on this box"), search(store, codex, "kafka", List.of(), Optional.empty(), 10));
            assertEquals(List.of(), search(store, codexElsewhere, "kafka", List.of(), Optional.empty(), 10));
            assertEquals(
                    List.of("kafka on this box"),
                    search(store, claude, "kafka", List.of(), Optional.of(Scope.HOST), 10));
            assertTrue(store.memories().find(codex, m.id()).isPresent());
            assertTrue(store.memories().find(codexElsewhere, m.id()).isEmpty());
            assertEquals(
                    List.of("kafka on this box"),
                    store
                            .memories()
                            .list(codex, new ListQuery(List.of(), Optional.of(Scope.HOST), 0, 10))
                            .items()
                            .stream()
                            .map(Memory::content)
                            .toList());
            Memory edited =
                    store.memories().update(codex, m.id(), cur -> draft("", "kafka edited", List.of(), Scope.HOST));
            assertEquals(2, edited.version());
            assertThrows(
                    MemoryNotFoundException.class,
                    () -> store.memories().update(codexElsewhere, m.id(), cur -> draft("x")));
            assertTrue(!store.memories().delete(codexElsewhere, m.id()));
        }
    }

    @Test
    void twoHostsOnOneStoreSeeTheirOwnHostMemoriesAndBothSeeTheShared() {
        Owner laptopCodex = new Owner("codex", "laptop");
        Owner desktopClaude = new Owner("claude", "desktop");
        try (Store laptop = backend.open("memory", "laptop");
                Store desktop = backend.open("memory", "desktop")) {
            laptop.memories().insert(laptopCodex, draft("", "deploy from laptop", List.of(), Scope.HOST));
            desktop.memories().insert(desktopClaude, draft("", "deploy from desktop", List.of(), Scope.HOST));
            laptop.memories().insert(laptopCodex, draft("", "deploy everywhere", List.of(), Scope.SHARED));
            assertEquals(
                    Set.of("deploy from laptop", "deploy everywhere"),
                    Set.copyOf(
                            search(laptop, new Owner("claude", "laptop"), "deploy", List.of(), Optional.empty(), 10)));
            assertEquals(
                    Set.of("deploy from desktop", "deploy everywhere"),
                    Set.copyOf(
                            search(desktop, new Owner("codex", "desktop"), "deploy", List.of(), Optional.empty(), 10)));
            assertEquals(
                    3,
                    search(desktop, Owner.person("desktop"), "deploy", List.of(), Optional.empty(), 10)
                            .size());
        }
    }

    @Test
    void concurrentWritersOnTwoHostsLoseNothing() throws Exception {
        int each = 25;
        try (Store laptop = backend.open("memory", "laptop");
                Store desktop = backend.open("memory", "desktop");
                ExecutorService pool = Executors.newFixedThreadPool(4)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                Store store = w % 2 == 0 ? laptop : desktop;
                Owner owner = new Owner(w < 2 ? "codex" : "claude", w % 2 == 0 ? "laptop" : "desktop");
                int writer = w;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        store.memories()
                                .insert(owner, draft("", "writer " + writer + " note " + i, List.of(), Scope.HOST));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
            assertEquals(
                    2 * each,
                    laptop.memories()
                            .list(new Owner("other", "laptop"), new ListQuery(List.of(), Optional.empty(), 0, 500))
                            .items()
                            .size());
            assertEquals(
                    2 * each,
                    desktop.memories()
                            .list(new Owner("other", "desktop"), new ListQuery(List.of(), Optional.empty(), 0, 500))
                            .items()
                            .size());
            List<HistoryEntry> history = new ArrayList<>();
            laptop.memories().exportHistory(history::add);
            assertEquals(4 * each, history.size());
        }
    }
}
