package dev.tandem.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.jobs.JobEvent;
import dev.tandem.core.jobs.JobRecord;
import dev.tandem.core.memory.HistoryEntry;
import dev.tandem.core.memory.ListQuery;
import dev.tandem.core.memory.Memory;
import dev.tandem.core.memory.MemoryDraft;
import dev.tandem.core.memory.Owner;
import dev.tandem.core.memory.Scope;
import dev.tandem.core.memory.SearchQuery;
import dev.tandem.core.telemetry.CommandStats;
import dev.tandem.core.telemetry.Outcome;
import dev.tandem.core.telemetry.Recorded;
import dev.tandem.core.telemetry.RequestEvent;
import dev.tandem.core.usage.DamagedCount;
import dev.tandem.core.usage.DamagedResponse;
import dev.tandem.core.usage.FileCursor;
import dev.tandem.core.usage.Rollup;
import dev.tandem.core.usage.ScanRecord;
import dev.tandem.core.usage.SessionTag;
import dev.tandem.core.usage.TaggedUsage;
import dev.tandem.core.usage.Tokens;
import dev.tandem.core.usage.UsageBatch;
import dev.tandem.core.usage.UsageEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tandem store migrate}'s copy: a real SQLite store with every kind of row into a real PostgreSQL one. */
class StoreCopyTest {
    private static final Instant T0 = Instant.parse("2026-12-06T09:55:13.273Z");
    private static final Instant END = Instant.parse("2100-01-01T00:00:00Z");
    private static final Owner CLAUDE = new Owner("claude", "box");

    @TempDir
    Path dir;

    private static UsageEvent event(String id, String session, long output) {
        return new UsageEvent(
                UsageEvent.keyOf("claude", id),
                "claude",
                T0,
                session,
                "/p",
                "claude-sonnet-4-5",
                0,
                new Tokens(1000, 300, 200, 0, output, 0));
    }

    /** Everything one workstation's store holds, read back through the repositories. */
    private record Snapshot(
            List<HistoryEntry> history,
            List<String> listed,
            List<String> found,
            List<Recorded> telemetry,
            List<CommandStats> commands,
            List<JobRecord> jobs,
            List<JobEvent> jobEvents,
            List<Rollup> rollups,
            List<TaggedUsage> tagged,
            List<ScanRecord> scans,
            List<DamagedCount> damaged,
            int cursors) {
        static Snapshot of(Store s) {
            List<HistoryEntry> history = new ArrayList<>();
            s.memories().exportHistory(history::add);
            List<Rollup> rollups = new ArrayList<>();
            s.usage().rollups(Instant.EPOCH, END, rollups::add);
            return new Snapshot(
                    history,
                    s.memories().list(CLAUDE, new ListQuery(List.of(), Optional.empty(), 0, 50)).items().stream()
                            .map(Memory::content)
                            .toList(),
                    s.memories().search(CLAUDE, new SearchQuery("deploying", List.of(), Optional.empty(), 5)).stream()
                            .map(h -> h.memory().content())
                            .toList(),
                    s.telemetry().between(Instant.EPOCH, END),
                    s.commandLog().stats(),
                    s.jobs().list(10, List.of()),
                    s.jobs().events("j1", 0, 100),
                    rollups,
                    s.usage().tagged("job"),
                    s.usage().scans(),
                    s.usage().damaged(Instant.EPOCH, END),
                    s.usage().cursors().size());
        }
    }

    @Test
    void everyRowArrivesTheCountsAreCheckedAndTheCopyKeepsWorking() {
        Path sqlite = dir.resolve("memory.db");
        Snapshot before;
        try (Store s = Store.open(new StoreSettings(sqlite, "box"))) {
            Memory kept = s.memories()
                    .insert(
                            CLAUDE,
                            new MemoryDraft("We deployed on Friday.", "", "deploy", List.of("ops"), Scope.SHARED));
            s.memories()
                    .update(
                            CLAUDE,
                            kept.id(),
                            m -> new MemoryDraft(
                                    "We deployed on Friday night.", "", "deploy", List.of("ops"), Scope.SHARED));
            Memory gone = s.memories().insert(CLAUDE, new MemoryDraft("gone", "", "", List.of(), Scope.CLIENT));
            s.memories().delete(CLAUDE, gone.id());
            s.memories().insert(CLAUDE, new MemoryDraft("private note", "", "", List.of(), Scope.CLIENT));
            s.telemetry()
                    .insert(List.of(new RequestEvent(
                            T0,
                            "codex",
                            "codex-mcp-client",
                            "0.169.0",
                            "s",
                            "tools/call",
                            Optional.of("fs_read"),
                            10,
                            Outcome.OK,
                            Optional.empty(),
                            2)));
            s.commandLog().record(CLAUDE, "claude-code", "recall");
            s.jobs()
                    .insert(JobRecord.builder("j1", "codex", "one-shot", "/work/p", "look", T0)
                            .host("box")
                            .build());
            s.jobs()
                    .appendEvents(
                            "j1", List.of(new JobEvent(1, T0, "message", "hello"), new JobEvent(2, T0, "done", "ok")));
            FileCursor cursor = new FileCursor("/logs/a.jsonl", "claude", "(1,2)", 100, 1L, 100, "h", "{}", T0);
            s.usage()
                    .apply(new UsageBatch(
                            Optional.empty(),
                            cursor,
                            List.of(event("m1", "s1", 40), event("m2", "s1", 7)),
                            List.of(),
                            List.of(),
                            List.of(
                                    new DamagedResponse(UsageEvent.keyOf("claude", "d1"), "claude", T0),
                                    new DamagedResponse(UsageEvent.keyOf("claude", "m1"), "claude", T0))));
            s.usage().tag(new SessionTag("claude", "s1", "job", "j1", T0.minusSeconds(1), Optional.empty()));
            s.usage().scanned(new ScanRecord("box", T0, 1, 100));
            before = Snapshot.of(s);
            assertEquals(List.of(new DamagedCount("box", "claude", 1)), before.damaged(), "m1 is counted");
        }
        PostgresLocation target = PostgresServer.get().newDatabase("copy");
        StoreCopy.Result result = StoreCopy.copy(sqlite, target);
        assertEquals(5L, result.rows().get("memory_history"));
        assertEquals(1L, result.rows().get("usage_rollup"));
        assertEquals(2L, result.rows().get("usage_event"));
        assertEquals(1L, result.rows().get("usage_damaged"), "m1's damaged line was never kept: m1 is counted");
        assertEquals(1L, result.rows().get("usage_damaged_rollup"), "rebuilt by the target's triggers");
        StoreSettings pg = new StoreSettings(dir.resolve("unused.db"), "box").withPostgres(target);
        try (Store s = Store.open(pg)) {
            assertEquals(before, Snapshot.of(s));
            // the identity columns and the memory order continue after the copied rows
            s.commandLog().record(CLAUDE, "claude-code", "recall");
            s.telemetry()
                    .insert(before.telemetry().stream().map(Recorded::event).toList());
            s.usage()
                    .apply(new UsageBatch(
                            Optional.of(
                                    new FileCursor("/logs/a.jsonl", "claude", "(1,2)", 100, 1L, 100, "h", "{}", T0)),
                            new FileCursor("/logs/a.jsonl", "claude", "(1,2)", 200, 2L, 200, "h", "{}", T0),
                            List.of(event("m3", "s2", 5)),
                            List.of(),
                            List.of()));
            Memory newest =
                    s.memories().insert(CLAUDE, new MemoryDraft("after the copy", "", "", List.of(), Scope.SHARED));
            assertEquals(
                    newest.id(),
                    s.memories()
                            .list(CLAUDE, new ListQuery(List.of(), Optional.empty(), 0, 1))
                            .items()
                            .get(0)
                            .id());
        }
        StoreException again = assertThrows(StoreException.class, () -> StoreCopy.copy(sqlite, target));
        assertTrue(again.getMessage().contains("not empty"), again.getMessage());
    }

    @Test
    void aHubAlreadyOpenOnTheTargetSeesTheCopiedUsageInItsDailyReports() {
        Path sqlite = dir.resolve("memory.db");
        try (Store s = Store.open(new StoreSettings(sqlite, "box"))) {
            s.usage()
                    .apply(new UsageBatch(
                            Optional.empty(),
                            new FileCursor("/logs/a.jsonl", "claude", "(1,2)", 100, 1L, 100, "h", "{}", T0),
                            List.of(event("m1", "s1", 40)),
                            List.of(),
                            List.of()));
        }
        PostgresLocation target = PostgresServer.get().newDatabase("copy-open");
        StoreSettings pg = new StoreSettings(dir.resolve("unused.db"), "box").withPostgres(target);
        try (Store open = Store.open(pg)) {
            List<Rollup> before = new ArrayList<>();
            open.usage().days(Instant.EPOCH, END, ZoneOffset.UTC, before::add);
            assertEquals(List.of(), before);
            StoreCopy.copy(sqlite, target);
            List<Rollup> after = new ArrayList<>();
            open.usage().days(Instant.EPOCH, END, ZoneOffset.UTC, after::add);
            assertEquals(
                    List.of(40L), after.stream().map(r -> r.tokens().output()).toList());
        }
    }
}
