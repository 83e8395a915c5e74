package dev.tandem.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.memory.ListQuery;
import dev.tandem.core.memory.MemoryDraft;
import dev.tandem.core.memory.Owner;
import dev.tandem.core.memory.Scope;
import dev.tandem.core.telemetry.CommandStats;
import dev.tandem.core.telemetry.Outcome;
import dev.tandem.core.telemetry.RequestEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store as its callers see it: one interface per table family, one file, one host. */
class StoreTest {
    private static final Owner CODEX = new Owner("codex", "box");

    @TempDir
    Path dir;

    private StoreSettings settings() {
        return new StoreSettings(dir.resolve("data/memory.db"), "box");
    }

    private static MemoryDraft draft(String text) {
        return new MemoryDraft(text, "", text, List.of(), Scope.SHARED);
    }

    private static RequestEvent event(Instant at) {
        return new RequestEvent(
                at,
                "codex",
                "codex-mcp-client",
                "0.169.0",
                "s",
                "tools/call",
                Optional.of("fs_read"),
                10,
                Outcome.OK,
                Optional.empty(),
                2);
    }

    @Test
    void memoriesTelemetryAndCommandLogLiveInOneFileUnderOneHost() {
        Instant now = Instant.parse("2026-12-06T10:00:00Z");
        try (Store store = Store.open(settings())) {
            store.memories().insert(CODEX, draft("one file"));
            store.telemetry().insert(List.of(event(now)));
            store.commandLog().record(CODEX, "codex-mcp-client", "recall");
        }
        try (Store again = Store.open(settings())) {
            assertEquals(
                    1,
                    again.memories()
                            .list(CODEX, new ListQuery(List.of(), Optional.empty(), 0, 5))
                            .items()
                            .size());
            assertEquals(
                    "box",
                    again.telemetry().between(now, now.plusSeconds(1)).get(0).host());
            List<CommandStats> stats = again.commandLog().stats();
            assertEquals(
                    List.of("recall"), stats.stream().map(CommandStats::slug).toList());
        }
        assertEquals(
                List.of("memory.db"),
                List.of(dir.resolve("data").toFile().list()).stream()
                        .filter(n -> n.endsWith(".db"))
                        .toList());
    }

    @Test
    void readOnlyStoreReadsWhatTheHubWroteAndRefusesWrites() {
        try (Store hub = Store.open(settings())) {
            hub.memories().insert(CODEX, draft("from the hub"));
        }
        try (Store reader = Store.openReadOnly(settings())) {
            assertEquals(
                    "from the hub",
                    reader.memories()
                            .list(CODEX, new ListQuery(List.of(), Optional.empty(), 0, 5))
                            .items()
                            .get(0)
                            .content());
            StoreException e =
                    assertThrows(StoreException.class, () -> reader.memories().insert(CODEX, draft("no")));
            assertTrue(e.getMessage().startsWith(settings().database().toString()), e.getMessage());
        }
    }

    @Test
    void readOnlyStoreNeverCreatesAMissingFile() {
        StoreException e = assertThrows(StoreException.class, () -> Store.openReadOnly(settings()));
        assertEquals(settings().database() + ": no memory database here", e.getMessage());
        assertFalse(Files.exists(settings().database()));
    }

    @Test
    void blankHostIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new StoreSettings(dir.resolve("m.db"), " "));
    }
}
