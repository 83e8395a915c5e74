package dev.tandem.hub.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.memory.HistoryEntry;
import dev.tandem.core.memory.InvalidMemoryException;
import dev.tandem.core.memory.Memory;
import dev.tandem.core.memory.MemoryNotFoundException;
import dev.tandem.core.memory.Owner;
import dev.tandem.core.memory.Page;
import dev.tandem.core.memory.Scope;
import dev.tandem.core.memory.SearchHit;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MemoryServiceTest {
    @TempDir
    Path dir;

    private MemoryService service;
    private final Owner claude = new Owner("claude", "box");
    private final Owner codex = new Owner("codex", "box");
    private final Owner claudeElsewhere = new Owner("claude", "laptop");

    @BeforeEach
    void open() {
        service = MemoryService.open(new MemorySettings(dir.resolve("memory.db"), "box", 1024));
    }

    @AfterEach
    void close() {
        service.close();
    }

    private Memory store(Owner owner, String content, Scope scope, String... tags) {
        return service.store(
                owner,
                new StoreRequest(
                        content,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of(List.of(tags)),
                        Optional.of(scope),
                        Optional.empty()));
    }

    @Test
    void storedMemoryIsRetrievedById() {
        Memory m = store(claude, "The hub listens on port 8765. It needs a token.", Scope.CLIENT, "Hub");
        Memory back = service.retrieve(claude, m.id(), Optional.empty());
        assertEquals("The hub listens on port 8765. It needs a token.", back.content());
        assertEquals("The hub listens on port 8765.", back.summary());
        assertEquals(List.of("hub"), back.tags());
        assertEquals(1, back.version());
    }

    @Test
    void updateAddsVersionAndKeepsTheEarlierOne() {
        Memory m = store(claude, "first text", Scope.SHARED);
        Memory v2 = service.store(
                claude,
                new StoreRequest(
                        "second text",
                        Optional.of("T"),
                        Optional.empty(),
                        Optional.of(List.of()),
                        Optional.of(Scope.SHARED),
                        Optional.of(m.id())));
        assertEquals(2, v2.version());
        assertEquals(m.id(), v2.id());
        assertEquals(
                "second text",
                service.retrieve(claude, m.id(), Optional.empty()).content());
        assertEquals(
                "first text", service.retrieve(claude, m.id(), Optional.of(1)).content());
    }

    @Test
    void updateWithoutTitleTagsOrScopeKeepsThem() {
        Memory m = service.store(
                claude,
                new StoreRequest(
                        "first",
                        Optional.of("Title"),
                        Optional.empty(),
                        Optional.of(List.of("ops")),
                        Optional.of(Scope.SHARED),
                        Optional.empty()));
        Memory v2 = service.store(
                claude,
                new StoreRequest(
                        "second. More.",
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of(m.id())));
        assertEquals(
                List.of("Title", "ops", "shared", "second."),
                List.of(v2.title(), v2.tags().get(0), v2.scope().wireName(), v2.summary()));
    }

    @Test
    void updateThatChangesNothingAddsNoVersion() {
        Memory m = store(claude, "same text", Scope.SHARED);
        Memory again = service.store(
                claude,
                new StoreRequest(
                        "same text",
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of(List.of()),
                        Optional.of(Scope.SHARED),
                        Optional.of(m.id())));
        assertEquals(1, again.version());
    }

    @Test
    void clientMemoryIsHiddenFromOtherEngineAndOtherHost() {
        Memory m = store(claude, "private note", Scope.CLIENT);
        assertThrows(MemoryNotFoundException.class, () -> service.retrieve(codex, m.id(), Optional.empty()));
        assertThrows(MemoryNotFoundException.class, () -> service.retrieve(claudeElsewhere, m.id(), Optional.empty()));
        assertTrue(service.search(codex, "private", List.of(), Optional.empty(), 10)
                .isEmpty());
        assertEquals(
                1,
                service.search(claude, "private", List.of(), Optional.empty(), 10)
                        .size());
    }

    @Test
    void sharedMemoryIsSeenByEveryEngine() {
        Memory m = store(claude, "shared note about gradle", Scope.SHARED);
        assertEquals(m.id(), service.retrieve(codex, m.id(), Optional.empty()).id());
        assertEquals(
                1,
                service.search(codex, "gradle", List.of(), Optional.empty(), 10).size());
    }

    @Test
    void searchRanksTitleMatchAboveBodyMatchAndMarksTheMatch() {
        store(claude, "We talked about many things, and postgres came up once.", Scope.SHARED);
        Memory titled = service.store(
                claude,
                new StoreRequest(
                        "Settings for the database.",
                        Optional.of("Postgres tuning"),
                        Optional.empty(),
                        Optional.of(List.of()),
                        Optional.of(Scope.SHARED),
                        Optional.empty()));
        List<SearchHit> hits = service.search(claude, "postgres", List.of(), Optional.empty(), 10);
        assertEquals(2, hits.size());
        assertEquals(titled.id(), hits.get(0).memory().id());
        assertTrue(hits.get(0).score() > hits.get(1).score());
        assertTrue(hits.get(1).snippet().contains("**postgres**"), hits.get(1).snippet());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\"unbalanced quote",
                "foo-bar",
                "title:secret",
                "(unbalanced",
                "a) OR (b",
                "NEAR(x y)",
                "AND",
                "-minus",
                "star*",
                "^caret",
                "it's",
                "c++ {braces} [x]"
            })
    void queryWithFtsSyntaxIsSearchedAsText(String query) {
        store(claude, "notes: foo bar, title secret, star and caret, it's c x", Scope.SHARED);
        List<SearchHit> hits = service.search(claude, query, List.of(), Optional.empty(), 10);
        assertTrue(hits.size() <= 1);
    }

    @Test
    void dashedQueryFindsTheDashedWords() {
        Memory m = store(claude, "use the read-only replica", Scope.SHARED);
        assertEquals(
                m.id(),
                service.search(claude, "read-only", List.of(), Optional.empty(), 10)
                        .get(0)
                        .memory()
                        .id());
    }

    @Test
    void searchFindsOtherFormsOfAWord() {
        Memory m = store(claude, "We deployed the hub on Friday.", Scope.SHARED);
        List<SearchHit> hits = service.search(claude, "deploying", List.of(), Optional.empty(), 10);
        assertEquals(List.of(m.id()), hits.stream().map(h -> h.memory().id()).toList());
        assertTrue(hits.get(0).snippet().contains("**deployed**"), hits.get(0).snippet());
    }

    @Test
    void queryWithoutWordsIsRefused() {
        InvalidMemoryException e = assertThrows(
                InvalidMemoryException.class, () -> service.search(claude, " -- () ", List.of(), Optional.empty(), 5));
        assertTrue(e.getMessage().contains("no word"), e.getMessage());
    }

    @Test
    void searchFiltersByEveryTagAndByScope() {
        store(claude, "deploy with helm", Scope.SHARED, "k8s", "ops");
        store(claude, "deploy with ansible", Scope.SHARED, "ops");
        store(claude, "deploy by hand", Scope.CLIENT, "ops");
        assertEquals(
                3,
                service.search(claude, "deploy", List.of("OPS"), Optional.empty(), 10)
                        .size());
        assertEquals(
                1,
                service.search(claude, "deploy", List.of("ops", "k8s"), Optional.empty(), 10)
                        .size());
        assertEquals(
                1,
                service.search(claude, "deploy", List.of(), Optional.of(Scope.CLIENT), 10)
                        .size());
    }

    @Test
    void listShowsMostRecentFirstInPages() {
        Memory a = store(claude, "one", Scope.SHARED);
        Memory b = store(claude, "two", Scope.SHARED);
        Memory c = store(claude, "three", Scope.SHARED);
        service.store(
                claude,
                new StoreRequest(
                        "one, edited",
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of(List.of()),
                        Optional.of(Scope.SHARED),
                        Optional.of(a.id())));
        Page first = service.list(claude, List.of(), Optional.empty(), 0, 2);
        assertEquals(
                List.of(a.id(), c.id()), first.items().stream().map(Memory::id).toList());
        assertTrue(first.more());
        Page second = service.list(claude, List.of(), Optional.empty(), 2, 2);
        assertEquals(List.of(b.id()), second.items().stream().map(Memory::id).toList());
        assertFalse(second.more());
    }

    @Test
    void deletedMemoryIsGoneButItsHistoryRemains() {
        Memory m = store(claude, "to be deleted", Scope.SHARED);
        service.delete(claude, m.id());
        assertThrows(MemoryNotFoundException.class, () -> service.retrieve(claude, m.id(), Optional.empty()));
        assertTrue(service.search(claude, "deleted", List.of(), Optional.empty(), 10)
                .isEmpty());
        List<HistoryEntry> history = new java.util.ArrayList<>();
        service.exportHistory(history::add);
        assertEquals(2, history.size());
        assertTrue(history.get(1).deleted());
    }

    @Test
    void deletingAnotherClientsMemoryFails() {
        Memory m = store(claude, "mine", Scope.CLIENT);
        assertThrows(MemoryNotFoundException.class, () -> service.delete(codex, m.id()));
    }

    @Test
    void emptyContentIsRefused() {
        InvalidMemoryException e =
                assertThrows(InvalidMemoryException.class, () -> store(claude, "  \n ", Scope.SHARED));
        assertTrue(e.getMessage().contains("content"), e.getMessage());
    }

    @Test
    void contentOverTheCapIsRefusedWithItsSize() {
        InvalidMemoryException e =
                assertThrows(InvalidMemoryException.class, () -> store(claude, "é".repeat(600), Scope.SHARED));
        assertTrue(e.getMessage().contains("1200 bytes"), e.getMessage());
    }

    @Test
    void badIdIsRefused() {
        assertThrows(InvalidMemoryException.class, () -> service.retrieve(claude, "../x", Optional.empty()));
    }
}
