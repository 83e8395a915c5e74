package dev.tandem.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.telemetry.Outcome;
import dev.tandem.core.telemetry.RequestEvent;
import dev.tandem.core.usage.DamagedCount;
import dev.tandem.core.usage.DamagedResponse;
import dev.tandem.core.usage.DaySums;
import dev.tandem.core.usage.FileCursor;
import dev.tandem.core.usage.HubCalls;
import dev.tandem.core.usage.RateLimit;
import dev.tandem.core.usage.Rollup;
import dev.tandem.core.usage.SessionTag;
import dev.tandem.core.usage.TaggedUsage;
import dev.tandem.core.usage.Tokens;
import dev.tandem.core.usage.ToolUse;
import dev.tandem.core.usage.UsageBatch;
import dev.tandem.core.usage.UsageEvent;
import dev.tandem.core.usage.UsageRepository;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The usage tables: idempotent writes, shared cursors, rollups kept by triggers; the contract every backend keeps. */
abstract class UsageRepositoryContract {
    private static final Instant T0 = Instant.parse("2026-12-06T09:55:13.273Z");

    @TempDir
    Path dir;

    private StoreBackend backend;

    /** Returns where this run's stores live. */
    abstract StoreBackend backend(Path dir);

    @BeforeEach
    void pickBackend() {
        backend = backend(dir);
    }

    private Store open(String host) {
        return backend.open("memory", host);
    }

    private static UsageEvent claude(String id, long output, Instant at) {
        return new UsageEvent(
                UsageEvent.keyOf("claude", id),
                "claude",
                at,
                "3f92f5f7",
                "/tmp/tr/proj",
                "claude-sonnet-4-5",
                0,
                new Tokens(1000, 300, 200, 0, output, 0));
    }

    private static FileCursor cursor(long offset) {
        return new FileCursor("/logs/a.jsonl", "claude", "(1,2)", offset, 1L, offset, "h", "{}", T0);
    }

    private static UsageBatch batch(Optional<FileCursor> from, FileCursor to, UsageEvent... events) {
        return new UsageBatch(from, to, List.of(events), List.of(), List.of());
    }

    private static List<Rollup> rollups(UsageRepository usage) {
        List<Rollup> out = new ArrayList<>();
        usage.rollups(Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"), out::add);
        return out;
    }

    private static final Instant FAR = Instant.parse("2100-01-01T00:00:00Z");

    /** What {@link UsageRepository#days} must give: every rollup row in range read afresh and summed per day. */
    private static List<Rollup> summed(UsageRepository usage, Instant from, Instant to, ZoneId zone) {
        DaySums sums = new DaySums(zone);
        usage.rollups(from, to, sums::add);
        return sums.rows();
    }

    private static List<Rollup> days(UsageRepository usage, Instant from, Instant to, ZoneId zone) {
        List<Rollup> out = new ArrayList<>();
        usage.days(from, to, zone, out::add);
        return out;
    }

    private static FileCursor cursorOf(String path, long offset) {
        return new FileCursor(path, "claude", "(1,2)", offset, 1L, offset, "h", "{}", T0);
    }

    @Test
    void daySumsFollowEveryWriteToTheDatabaseIncludingAnotherProcesses() {
        // UTC; a zone 5:45 ahead; one whose clocks went back on 2026-11-01 (a 25-hour day)
        List<ZoneId> zones = List.of(ZoneOffset.UTC, ZoneId.of("Asia/Kathmandu"), ZoneId.of("America/New_York"));
        try (Store hub = open("box");
                Store other = open("box")) { // the same database, as another process (tandem usage) opens it
            UsageRepository mine = hub.usage();
            for (ZoneId z : zones) {
                assertEquals(List.of(), days(mine, Instant.EPOCH, FAR, z), "nothing yet: " + z);
            }
            assertTrue(other.usage()
                    .apply(batch(
                            Optional.empty(),
                            cursorOf("/logs/b.jsonl", 1),
                            claude("a1", 5, Instant.parse("2026-11-01T03:50:00Z")),
                            claude("a2", 6, Instant.parse("2026-11-01T18:20:00Z")),
                            claude("a3", 7, Instant.parse("2026-11-02T04:59:00Z")))));
            assertTrue(mine.apply(
                    batch(Optional.empty(), cursor(1), claude("b1", 9, Instant.parse("2026-11-02T05:00:00Z")))));
            for (ZoneId z : zones) {
                assertEquals(summed(mine, Instant.EPOCH, FAR, z), days(mine, Instant.EPOCH, FAR, z), z.toString());
            }
            assertEquals(
                    List.of(5 + 6L, 7 + 9L),
                    days(mine, Instant.EPOCH, FAR, ZoneOffset.UTC).stream()
                            .map(r -> r.tokens().output())
                            .toList());
            // New York: 03:50Z is Oct 31 (EDT); Nov 1 began at 04:00Z and, the clocks going back, ended at 05:00Z
            assertEquals(
                    List.of(
                            Instant.parse("2026-10-31T04:00:00Z"),
                            Instant.parse("2026-11-01T04:00:00Z"),
                            Instant.parse("2026-11-02T05:00:00Z")),
                    days(mine, Instant.EPOCH, FAR, ZoneId.of("America/New_York")).stream()
                            .map(Rollup::bucket)
                            .toList());
            // another process's streamed copy with more output (an update, not a new row), and a new day
            assertTrue(other.usage()
                    .apply(batch(
                            Optional.of(cursorOf("/logs/b.jsonl", 1)),
                            cursorOf("/logs/b.jsonl", 2),
                            claude("a2", 60, Instant.parse("2026-11-01T18:20:00Z")),
                            claude("a4", 1, Instant.parse("2026-11-20T12:00:00Z")))));
            for (ZoneId z : zones) {
                assertEquals(summed(mine, Instant.EPOCH, FAR, z), days(mine, Instant.EPOCH, FAR, z), z.toString());
                // ranges that start and end within a day take those days' rows in range only
                Instant from = Instant.parse("2026-11-01T10:00:00Z");
                Instant to = Instant.parse("2026-11-02T05:00:00Z");
                assertEquals(summed(mine, from, to, z), days(mine, from, to, z), z + " from " + from + " to " + to);
            }
            assertEquals(
                    5 + 60L + 7 + 9 + 1,
                    days(mine, Instant.EPOCH, FAR, ZoneOffset.UTC).stream()
                            .mapToLong(r -> r.tokens().output())
                            .sum());
        }
    }

    @Test
    void aLaterCopyOfAResponseTimedOnTheNextDayChangesTheStoredCopysDay() {
        // Claude Code logs each content block of one response as a line of its own, each with its own time; the
        // rollup of the copy stored first changes, in the bucket (here the day) of its time
        try (Store store = open("box")) {
            UsageRepository usage = store.usage();
            assertTrue(usage.apply(
                    batch(Optional.empty(), cursor(1), claude("m1", 5, Instant.parse("2026-11-01T23:59:50Z")))));
            assertEquals(1, days(usage, Instant.EPOCH, FAR, ZoneOffset.UTC).size());
            assertTrue(usage.apply(batch(
                    Optional.of(cursor(1)), cursor(2), claude("m1", 500, Instant.parse("2026-11-02T00:00:20Z")))));
            List<Rollup> rows = days(usage, Instant.EPOCH, FAR, ZoneOffset.UTC);
            assertEquals(summed(usage, Instant.EPOCH, FAR, ZoneOffset.UTC), rows);
            assertEquals(
                    List.of(Instant.parse("2026-11-01T00:00:00Z")),
                    rows.stream().map(Rollup::bucket).toList());
            assertEquals(500, rows.get(0).tokens().output());
        }
    }

    @Test
    void timesAtTheEndsOfWhatALogCanSayNeitherBreakNorHideTheDaySums() {
        try (Store store = open("box")) {
            UsageRepository usage = store.usage();
            Instant today = Instant.parse("2026-11-01T12:00:00Z");
            assertTrue(usage.apply(batch(Optional.empty(), cursor(1), claude("m1", 5, today))));
            assertEquals(1, days(usage, Instant.EPOCH, FAR, ZoneOffset.UTC).size());
            Instant last = Instant.ofEpochMilli(Long.MAX_VALUE - 1000);
            Instant first = Instant.ofEpochMilli(Long.MIN_VALUE + 1000);
            assertTrue(usage.apply(batch(
                    Optional.of(cursor(1)),
                    cursor(2),
                    claude("far", 7, last),
                    claude("early", 8, first),
                    claude("m2", 9, today))));
            Instant min = Instant.ofEpochMilli(Long.MIN_VALUE);
            Instant max = Instant.ofEpochMilli(Long.MAX_VALUE);
            for (ZoneId z : List.of(ZoneOffset.UTC, ZoneId.of("Pacific/Kiritimati"), ZoneId.of("Etc/GMT+12"))) {
                assertEquals(summed(usage, min, max, z), days(usage, min, max, z), z.toString());
                assertEquals(3, days(usage, min, max, z).size(), z.toString());
                assertEquals(summed(usage, Instant.EPOCH, FAR, z), days(usage, Instant.EPOCH, FAR, z));
            }
            assertEquals(
                    List.of(5 + 9L),
                    days(usage, Instant.EPOCH, FAR, ZoneOffset.UTC).stream()
                            .map(r -> r.tokens().output())
                            .toList());
        }
    }

    @Test
    void aWriteOverManyDaysAndAShortRangeAskedFirstGiveWhatTheRowsSay() {
        try (Store store = open("box")) {
            UsageRepository usage = store.usage();
            ZoneId zone = ZoneId.of("Europe/Berlin");
            // asked first for a few days: summed from those days' rows
            Instant from = Instant.parse("2026-03-28T00:00:00Z");
            Instant to = Instant.parse("2026-04-02T00:00:00Z");
            assertEquals(List.of(), days(usage, from, to, zone));
            assertEquals(List.of(), days(usage, Instant.EPOCH, FAR, zone));
            // one write over 500 days (more than are summed again one by one)
            List<UsageEvent> many = new ArrayList<>();
            for (int d = 0; d < 500; d++) {
                many.add(
                        claude("d" + d, d, Instant.parse("2025-06-01T22:30:00Z").plus(Duration.ofDays(d))));
            }
            assertTrue(usage.apply(new UsageBatch(Optional.empty(), cursor(1), many, List.of(), List.of())));
            assertEquals(summed(usage, Instant.EPOCH, FAR, zone), days(usage, Instant.EPOCH, FAR, zone));
            assertEquals(
                    many.stream()
                            .map(e -> e.at().atZone(zone).toLocalDate())
                            .distinct()
                            .count(),
                    days(usage, Instant.EPOCH, FAR, zone).size());
            assertEquals(summed(usage, from, to, zone), days(usage, from, to, zone));
            try (Store fresh = open("box")) {
                assertEquals(summed(fresh.usage(), from, to, zone), days(fresh.usage(), from, to, zone));
                // Berlin: 22:30Z is that day in winter, the next in summer (from Mar 29): Mar 28, 30, 31, Apr 1, 2
                assertEquals(5, days(fresh.usage(), from, to, zone).size());
            }
        }
    }

    @Test
    void spellingsOfOneZoneShareItsDaySumsAndOtherZonesHaveTheirOwn() {
        try (Store store = open("box")) {
            SqliteUsageRepository usage = (SqliteUsageRepository) store.usage();
            assertTrue(usage.apply(
                    batch(Optional.empty(), cursor(1), claude("z1", 5, Instant.parse("2026-11-01T03:50:00Z")))));
            List<Rollup> utc = days(usage, Instant.EPOCH, FAR, ZoneOffset.UTC);
            assertEquals(1, usage.everyDaySummed());
            for (String spelling : List.of("UTC", "Z", "Etc/UTC", "GMT", "UTC+00:00")) {
                assertEquals(utc, days(usage, Instant.EPOCH, FAR, ZoneId.of(spelling)), spelling);
            }
            assertEquals(1, usage.everyDaySummed(), "every spelling of UTC read the one zone's sums");
            List<Rollup> kolkata = days(usage, Instant.EPOCH, FAR, ZoneId.of("Asia/Kolkata"));
            assertEquals(2, usage.everyDaySummed(), "another zone has sums of its own");
            assertEquals(kolkata, days(usage, Instant.EPOCH, FAR, ZoneId.of("Asia/Calcutta")));
            assertEquals(2, usage.everyDaySummed(), "an old name of a zone shares its sums");
            assertEquals(summed(usage, Instant.EPOCH, FAR, ZoneId.of("Asia/Kolkata")), kolkata);
            days(usage, Instant.EPOCH, FAR, ZoneId.of("Europe/Berlin"));
            assertEquals(3, usage.everyDaySummed());
        }
    }

    @Test
    void aDayCacheFurtherBehindThanTheKeptChangesSumsEveryDayAgain() throws Exception {
        try (Store hub = open("box");
                Store other = open("box")) {
            UsageRepository mine = hub.usage();
            assertEquals(List.of(), days(mine, Instant.EPOCH, FAR, ZoneOffset.UTC));
            // a write the hub's sums have not seen, then so many others that its change row is deleted
            assertTrue(other.usage()
                    .apply(batch(
                            Optional.empty(),
                            cursorOf("/logs/b.jsonl", 1),
                            claude("a1", 5, Instant.parse("2026-11-01T03:50:00Z")))));
            try (Connection c = backend.connect("memory");
                    Statement st = c.createStatement()) {
                st.executeUpdate("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10500)"
                        + " INSERT INTO usage_change (bucket_from, bucket_to) SELECT 0, 0 FROM n");
            }
            assertTrue(mine.apply(
                    batch(Optional.empty(), cursor(1), claude("b1", 9, Instant.parse("2026-11-05T05:00:00Z")))));
            try (Connection c = backend.connect("memory");
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count(*) FROM usage_change")) {
                rs.next();
                assertTrue(rs.getLong(1) <= 10_001, "old change rows are deleted: " + rs.getLong(1));
            }
            List<Rollup> rows = days(mine, Instant.EPOCH, FAR, ZoneOffset.UTC);
            assertEquals(summed(mine, Instant.EPOCH, FAR, ZoneOffset.UTC), rows);
            assertEquals(
                    List.of(5L, 9L), rows.stream().map(r -> r.tokens().output()).toList());
        }
    }

    @Test
    void readingTheSameResponsesAgainCountsThemOnce() {
        try (Store store = open("box")) {
            UsageRepository usage = store.usage();
            assertTrue(usage.apply(batch(Optional.empty(), cursor(100), claude("m1", 40, T0), claude("m2", 7, T0))));
            assertTrue(usage.apply(batch(Optional.of(cursor(100)), cursor(200), claude("m1", 40, T0))));
            List<Rollup> rows = rollups(usage);
            assertEquals(1, rows.size());
            assertEquals(2, rows.get(0).responses());
            assertEquals(47, rows.get(0).tokens().output());
            assertEquals(2000, rows.get(0).tokens().input());
        }
    }

    @Test
    void aStreamedCopyWithMoreOutputReplacesTheSmallerOneAndNeverTheOtherWayRound() {
        try (Store store = open("box")) {
            UsageRepository usage = store.usage();
            usage.apply(batch(Optional.empty(), cursor(10), claude("m1", 1, T0)));
            usage.apply(batch(Optional.of(cursor(10)), cursor(20), claude("m1", 40, T0.plusMillis(8))));
            usage.apply(batch(Optional.of(cursor(20)), cursor(30), claude("m1", 5, T0.plusMillis(9))));
            Rollup row = rollups(usage).get(0);
            assertEquals(1, row.responses());
            assertEquals(40, row.tokens().output());
            assertEquals(1000, row.tokens().input(), "input counted once");
        }
    }

    @Test
    void copiesOfAResponseInOneBatchLeaveWhatWritingThemOneByOneLeaves() {
        UsageEvent[] copies = {
            claude("m1", 5, T0),
            copy(claude("m1", 9, T0.plusSeconds(1200)), "other-session", 100), // another bucket and session
            copy(claude("m1", 9, T0.plusSeconds(60)), "3f92f5f7", 7), // as much output, read later
            claude("m1", 3, T0.plusSeconds(2400)),
            claude("m2", 11, T0)
        };
        UsageEvent older = copy(claude("m3", 6, T0), "3f92f5f7", 1);
        UsageEvent[] laterCopies = {copy(claude("m3", 4, T0), "3f92f5f7", 2), copy(claude("m3", 8, T0), "x", 3)};
        List<Rollup> together;
        List<Rollup> oneByOne;
        try (Store store = backend.open("together", "box")) {
            UsageRepository usage = store.usage();
            assertTrue(usage.apply(batch(Optional.empty(), cursor(10), older)));
            List<UsageEvent> all = new ArrayList<>(List.of(copies));
            all.addAll(List.of(laterCopies));
            assertTrue(usage.apply(batch(Optional.of(cursor(10)), cursor(20), all.toArray(UsageEvent[]::new))));
            together = rollups(usage);
        }
        try (Store store = backend.open("apart", "box")) {
            UsageRepository usage = store.usage();
            assertTrue(usage.apply(batch(Optional.empty(), cursor(10), older)));
            int offset = 10;
            List<UsageEvent> all = new ArrayList<>(List.of(copies));
            all.addAll(List.of(laterCopies));
            for (UsageEvent e : all) {
                assertTrue(usage.apply(batch(Optional.of(cursor(offset)), cursor(offset + 1), e)));
                offset++;
            }
            oneByOne = rollups(usage);
        }
        assertEquals(oneByOne, together);
        // one row: the first copies' bucket and session; m1 with its second copy's tokens (the first with 9 output
        // tokens), m2, and m3 with its copy of 8 output tokens
        assertEquals(1, together.size(), together.toString());
        Rollup row = together.get(0);
        assertEquals("3f92f5f7", row.session());
        assertEquals(3, row.responses());
        assertEquals(9 + 11 + 8, row.tokens().output());
        assertEquals(100 + 1000 + 3, row.tokens().input());
    }

    /** {@code e} with another session and input count. */
    private static UsageEvent copy(UsageEvent e, String session, long input) {
        Tokens t = e.tokens();
        return new UsageEvent(
                e.key(),
                e.engine(),
                e.at(),
                session,
                e.project(),
                e.model(),
                e.tier(),
                new Tokens(input, t.cacheRead(), t.cacheWrite5m(), t.cacheWrite1h(), t.output(), t.reasoning()));
    }

    @Test
    void aResponseReadOnOneHostIsNeverRaisedByAnotherHostsRowsAndIsNamedAsAnotherHosts() {
        try (Store store = open("desktop")) {
            UsageRepository laptop = store.usage("laptop");
            UsageRepository thief = store.usage("thief");
            assertEquals("laptop", laptop.host());
            assertTrue(laptop.apply(batch(Optional.empty(), cursor(10), claude("m1", 40, T0))));
            long m1 = UsageEvent.keyOf("claude", "m1");
            long m2 = UsageEvent.keyOf("claude", "m2");
            assertEquals(Set.of(m1), thief.keysOfOtherHosts(List.of(m1, m2)));
            assertEquals(Set.of(), laptop.keysOfOtherHosts(List.of(m1, m2)), "its own rows are no other host's");
            // the same response with more output, from another host: not taken, even past the endpoint's filter
            assertTrue(thief.apply(batch(Optional.empty(), cursor(10), claude("m1", 9999, T0))));
            List<Rollup> rows = rollups(store.usage());
            assertEquals(1, rows.size(), rows.toString());
            assertEquals("laptop", rows.get(0).host());
            assertEquals(40, rows.get(0).tokens().output());
            // while the same host's streamed copy with more output still replaces its own
            assertTrue(laptop.apply(batch(Optional.of(cursor(10)), cursor(20), claude("m1", 50, T0))));
            assertEquals(50, rollups(store.usage()).get(0).tokens().output());
            assertEquals(10, thief.cursors().get("/logs/a.jsonl").offset(), "cursors are per host");
            assertEquals(20, laptop.cursors().get("/logs/a.jsonl").offset());
        }
    }

    private static DamagedResponse damaged(String engine, String id, Instant at) {
        return new DamagedResponse(UsageEvent.keyOf(engine, id), engine, at);
    }

    @Test
    void damagedResponsesAreCountedOncePerHostAndEngineWithinTheRangeAndNeverWhenCounted() {
        try (Store store = open("box")) {
            UsageRepository usage = store.usage();
            UsageRepository laptop = store.usage("laptop");
            assertEquals(List.of(), usage.damaged(Instant.EPOCH, FAR), "none yet");
            DamagedResponse d1 = damaged("claude", "d1", T0);
            DamagedResponse d2 = damaged("codex", "s:1:2:3", T0.plusSeconds(900)); // the next 15 minutes
            assertTrue(usage.apply(new UsageBatch(
                    Optional.empty(), cursor(10), List.of(), List.of(), List.of(), List.of(d1, d2, d1))));
            // read again (a moved copy of the log, a later batch): still once each
            assertTrue(usage.apply(
                    new UsageBatch(Optional.of(cursor(10)), cursor(20), List.of(), List.of(), List.of(), List.of(d1))));
            assertTrue(laptop.apply(new UsageBatch(
                    Optional.empty(),
                    cursor(5),
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of(damaged("claude", "d3", T0.plusSeconds(1))))));
            assertEquals(
                    List.of(
                            new DamagedCount("box", "claude", 1),
                            new DamagedCount("box", "codex", 1),
                            new DamagedCount("laptop", "claude", 1)),
                    usage.damaged(Instant.EPOCH, FAR));
            assertEquals(
                    List.of(new DamagedCount("box", "codex", 1)),
                    usage.damaged(T0.plusSeconds(2), T0.plusSeconds(901)),
                    "only those whose 15-minute bucket starts in [from, to), as rollups()");
            assertEquals(List.of(), usage.damaged(T0.plusSeconds(901), FAR));
            // a key the ledger counts after all (an undamaged copy of the response) is not left out
            assertTrue(usage.apply(batch(Optional.of(cursor(20)), cursor(30), claude("d1", 5, T0))));
            assertEquals(
                    List.of(new DamagedCount("box", "codex", 1), new DamagedCount("laptop", "claude", 1)),
                    usage.damaged(Instant.EPOCH, FAR));
        }
    }

    @Test
    void anEventOfOneHostNeverRemovesAnotherHostsDamagedResponseOfTheSameKey() {
        try (Store store = open("desktop")) {
            UsageRepository laptop = store.usage("laptop");
            UsageRepository thief = store.usage("thief");
            assertTrue(laptop.apply(new UsageBatch(
                    Optional.empty(),
                    cursor(10),
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of(damaged("claude", "d1", T0)))));
            // the same key on another host is another response: counted there, the laptop's damaged one stays
            assertTrue(thief.apply(batch(Optional.empty(), cursor(10), claude("d1", 5, T0))));
            assertEquals(List.of(new DamagedCount("laptop", "claude", 1)), laptop.damaged(Instant.EPOCH, FAR));
            assertEquals(
                    List.of("thief"),
                    rollups(store.usage()).stream().map(Rollup::host).toList());
            // while the laptop's own undamaged copy of it removes it
            assertTrue(laptop.apply(batch(Optional.of(cursor(10)), cursor(20), claude("d1", 5, T0))));
            assertEquals(List.of(), laptop.damaged(Instant.EPOCH, FAR));
        }
    }

    private long count(String sql) throws Exception {
        try (Connection c = backend.connect("memory");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aDamagedRowAnotherRepositoryOfThisProcessWroteGoesWhenTheLedgerCountsItsKey() {
        try (Store store = open("box");
                Store part = open("box")) { // another of the hub's parts on the same database
            UsageRepository usage = store.usage();
            // the table is found empty by a write of events
            assertTrue(usage.apply(batch(Optional.empty(), cursor(10), claude("m1", 5, T0))));
            // then a fleet push (a repository of its own) and another part add damaged rows
            assertTrue(store.usage("laptop")
                    .apply(new UsageBatch(
                            Optional.empty(),
                            cursor(5),
                            List.of(),
                            List.of(),
                            List.of(),
                            List.of(damaged("claude", "d1", T0)))));
            assertTrue(part.usage()
                    .apply(new UsageBatch(
                            Optional.empty(),
                            cursorOf("/logs/b.jsonl", 5),
                            List.of(),
                            List.of(),
                            List.of(),
                            List.of(damaged("claude", "d2", T0)))));
            assertEquals(
                    2,
                    usage.damaged(Instant.EPOCH, FAR).stream()
                            .mapToLong(DamagedCount::responses)
                            .sum());
            // undamaged copies of both are counted here: this host's d2 (written by the other part after this
            // repository found the table empty) leaves the damaged count; the laptop's d1 is another host's response
            assertTrue(
                    usage.apply(batch(Optional.of(cursor(10)), cursor(20), claude("d1", 5, T0), claude("d2", 5, T0))));
            assertEquals(List.of(new DamagedCount("laptop", "claude", 1)), usage.damaged(Instant.EPOCH, FAR));
        }
    }

    @Test
    void aDamagedRowAnotherProcessWroteGoesWhenTheLedgerCountsItsKey() throws Exception {
        try (Store store = open("box")) {
            UsageRepository usage = store.usage();
            assertTrue(usage.apply(batch(Optional.empty(), cursor(10), claude("m1", 5, T0))));
            // another process (a tandem usage run) writes the same database on its own connection
            try (Connection c = backend.connect("memory");
                    Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO usage_damaged (key, host, engine, at) VALUES ("
                        + UsageEvent.keyOf("claude", "d1") + ", 'box', 'claude', " + T0.toEpochMilli() + ")");
            }
            assertEquals(List.of(new DamagedCount("box", "claude", 1)), usage.damaged(Instant.EPOCH, FAR));
            assertTrue(usage.apply(batch(Optional.of(cursor(10)), cursor(20), claude("d1", 5, T0))));
            assertEquals(List.of(), usage.damaged(Instant.EPOCH, FAR));
            assertEquals(0, count("SELECT count(*) FROM usage_damaged"));
        }
    }

    @Test
    void damagedResponsesAreReadFromCountsPerBucketNotFromTheirRows() throws Exception {
        try (Store store = open("box")) {
            UsageRepository usage = store.usage();
            List<DamagedResponse> many = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                many.add(damaged("claude", "d" + i, T0.plusMillis(i)));
            }
            many.add(damaged("claude", "m1", T0)); // the ledger counts m1: its damaged line is not kept
            assertTrue(usage.apply(new UsageBatch(
                    Optional.empty(), cursor(10), List.of(claude("m1", 5, T0)), List.of(), List.of(), many)));
            assertEquals(500, count("SELECT count(*) FROM usage_damaged"));
            assertEquals(1, count("SELECT count(*) FROM usage_damaged_rollup"), "one row per bucket, host and engine");
            assertEquals(List.of(new DamagedCount("box", "claude", 500)), usage.damaged(Instant.EPOCH, FAR));
            // a later undamaged copy of d7 is counted: its damaged row and its count go
            assertTrue(usage.apply(batch(Optional.of(cursor(10)), cursor(20), claude("d7", 5, T0))));
            assertEquals(499, count("SELECT count(*) FROM usage_damaged"));
            assertEquals(List.of(new DamagedCount("box", "claude", 499)), usage.damaged(Instant.EPOCH, FAR));
            // what a report reads is the count row, not the damaged rows under it
            try (Connection c = backend.connect("memory");
                    Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE usage_damaged_rollup SET responses = 7");
            }
            assertEquals(List.of(new DamagedCount("box", "claude", 7)), usage.damaged(Instant.EPOCH, FAR));
        }
    }

    @Test
    void aBatchFromACursorAnotherReaderMovedWritesNothing() {
        try (Store store = open("box")) {
            UsageRepository usage = store.usage();
            assertTrue(usage.apply(batch(Optional.empty(), cursor(100), claude("m1", 40, T0))));
            assertFalse(usage.apply(batch(Optional.empty(), cursor(100), claude("m2", 40, T0))));
            assertFalse(usage.apply(batch(Optional.of(cursor(50)), cursor(150), claude("m3", 40, T0))));
            assertEquals(1, rollups(usage).get(0).responses());
            assertEquals(100, usage.cursors().get("/logs/a.jsonl").offset());
        }
    }

    @Test
    void aCursorKeepsTheFilesModificationTimeAndAnUpdateReplacesIt() {
        try (Store store = open("box")) {
            UsageRepository usage = store.usage();
            FileCursor first = new FileCursor(
                    "/logs/a.jsonl", "claude", "(1,2)", 100, 1_765_000_000_123_456_789L, 100, "h", "{}", T0);
            assertTrue(usage.apply(batch(Optional.empty(), first)));
            assertEquals(first, usage.cursors().get("/logs/a.jsonl"));
            // the same place, touched: only the time moves
            FileCursor touched = new FileCursor(
                    "/logs/a.jsonl", "claude", "(1,2)", 100, 1_765_000_001_000_000_000L, 100, "h", "{}", T0);
            assertTrue(usage.apply(batch(Optional.of(first), touched)));
            assertEquals(
                    1_765_000_001_000_000_000L,
                    usage.cursors().get("/logs/a.jsonl").mtime());
        }
    }

    @Test
    void rowsCarryTheHostTheyWereReadOnAndBucketsAreFifteenMinutes() {
        try (Store store = open("laptop")) {
            store.usage()
                    .apply(batch(
                            Optional.empty(),
                            cursor(1),
                            claude("m1", 1, Instant.parse("2026-12-06T10:14:59Z")),
                            claude("m2", 2, Instant.parse("2026-12-06T10:15:00Z"))));
            List<Rollup> rows = rollups(store.usage());
            assertEquals(
                    List.of(Instant.parse("2026-12-06T10:00:00Z"), Instant.parse("2026-12-06T10:15:00Z")),
                    rows.stream().map(Rollup::bucket).toList());
            assertTrue(rows.stream().allMatch(r -> r.host().equals("laptop")));
        }
    }

    @Test
    void theNewestRateLimitReportWins() {
        try (Store store = open("box")) {
            UsageRepository usage = store.usage();
            RateLimit newer = new RateLimit("codex", "primary", 40, 300, Optional.empty(), T0.plusSeconds(60));
            RateLimit older = new RateLimit("codex", "primary", 12.5, 300, Optional.of(T0), T0);
            usage.apply(new UsageBatch(Optional.empty(), cursor(1), List.of(), List.of(newer), List.of()));
            usage.apply(new UsageBatch(Optional.of(cursor(1)), cursor(2), List.of(), List.of(older), List.of()));
            assertEquals(
                    List.of(new RateLimit("codex", "primary", 40, 300, Optional.empty(), T0.plusSeconds(60), "box")),
                    usage.rateLimits());
        }
    }

    @Test
    void eachHostsRateLimitReportsAreKeptAndNamedWithTheirHost() {
        try (Store store = open("desktop")) {
            RateLimit mine = new RateLimit("codex", "primary", 40, 300, Optional.empty(), T0);
            // what another host sends names a host of its choosing: the ledger records its own
            RateLimit theirs =
                    new RateLimit("codex", "primary", 99, 300, Optional.empty(), T0.plusSeconds(9), "desktop");
            store.usage().apply(new UsageBatch(Optional.empty(), cursor(1), List.of(), List.of(mine), List.of()));
            store.usage("laptop")
                    .apply(new UsageBatch(Optional.empty(), cursor(1), List.of(), List.of(theirs), List.of()));
            List<RateLimit> all = store.usage().rateLimits();
            assertEquals(2, all.size(), all.toString());
            assertEquals(
                    40,
                    all.stream()
                            .filter(l -> l.host().equals("desktop"))
                            .findFirst()
                            .orElseThrow()
                            .usedPercent());
            assertEquals(
                    99,
                    all.stream()
                            .filter(l -> l.host().equals("laptop"))
                            .findFirst()
                            .orElseThrow()
                            .usedPercent());
        }
    }

    @Test
    void hubCallsFindTheirSessionByCodexSessionOrByClaudeToolUseId() {
        try (Store store = open("box")) {
            store.telemetry()
                    .insert(List.of(
                            call("codex", "fs_read", Optional.of("call_1"), Optional.of("thread-9")),
                            call("claude", "fs_read", Optional.of("toolu_7"), Optional.empty()),
                            call("claude", "git_status", Optional.of("toolu_8"), Optional.empty()),
                            call("claude", "hub_info", Optional.empty(), Optional.empty())));
            ToolUse use = new ToolUse("claude", "toolu_7", "3f92f5f7", "mcp__tandem__fs_read", T0);
            store.usage().apply(new UsageBatch(Optional.empty(), cursor(1), List.of(), List.of(), List.of(use)));
            List<HubCalls> calls = store.usage().hubCalls(T0.minusSeconds(1), T0.plusSeconds(60));
            assertTrue(calls.contains(new HubCalls("codex", "thread-9", "fs_read", 1, 0)), calls.toString());
            assertTrue(calls.contains(new HubCalls("claude", "3f92f5f7", "fs_read", 1, 0)), calls.toString());
            assertTrue(calls.contains(new HubCalls("claude", "", "git_status", 1, 0)), calls.toString());
            assertTrue(calls.contains(new HubCalls("claude", "", "hub_info", 1, 0)), calls.toString());
        }
    }

    private static RequestEvent call(String engine, String tool, Optional<String> callId, Optional<String> session) {
        return new RequestEvent(
                T0,
                engine,
                engine + "-client",
                "1",
                "mcp-session",
                "tools/call",
                Optional.of(tool),
                10,
                Outcome.OK,
                Optional.empty(),
                2,
                callId,
                session,
                "");
    }

    @Test
    void aTaggedSessionCostsOnlyWhatItUsedWhileTagged() {
        try (Store store = open("box")) {
            UsageRepository usage = store.usage();
            usage.apply(batch(
                    Optional.empty(),
                    cursor(1),
                    claude("before", 10, T0.minusSeconds(60)),
                    claude("during", 20, T0.plusSeconds(5)),
                    claude("after", 30, T0.plusSeconds(120))));
            usage.tag(new SessionTag("claude", "3f92f5f7", "job", "job-1", T0, Optional.of(T0.plusSeconds(60))));
            List<TaggedUsage> tagged = usage.tagged("job");
            assertEquals(1, tagged.size());
            assertEquals(20, tagged.get(0).tokens().output());
            assertEquals("job-1", tagged.get(0).tag().ref());
            assertEquals(List.of(), usage.tagged("delegation"));
        }
    }

    @Test
    void aJobsSessionCostsWhatItUsedInTheQuarterHoursOfItsRunOnThisHost() {
        try (Store store = open("box")) {
            UsageRepository usage = store.usage();
            Instant start = Instant.parse("2026-12-06T10:02:00Z");
            usage.apply(batch(
                    Optional.empty(),
                    cursor(1),
                    claude("an-hour-before", 10, start.minusSeconds(3600)),
                    claude("during", 20, start.plusSeconds(5)),
                    claude("still-during", 40, start.plusSeconds(600)),
                    claude("next-day", 80, start.plusSeconds(86_400))));
            SessionTag ended =
                    new SessionTag("claude", "3f92f5f7", "job", "j1", start, Optional.of(start.plusSeconds(700)));
            assertEquals(
                    List.of(60L),
                    usage.usage(ended).stream().map(t -> t.tokens().output()).toList());
            assertEquals(2, usage.usage(ended).get(0).responses());
            SessionTag running = new SessionTag("claude", "3f92f5f7", "job", "j1", start, Optional.empty());
            assertEquals(
                    List.of(140L),
                    usage.usage(running).stream().map(t -> t.tokens().output()).toList());
            assertEquals(
                    List.of(), usage.usage(new SessionTag("claude", "other", "job", "j2", start, Optional.empty())));
            assertEquals(
                    List.of(), usage.usage(new SessionTag("codex", "3f92f5f7", "job", "j3", start, Optional.empty())));
        }
        try (Store other = open("laptop")) {
            SessionTag tag = new SessionTag("claude", "3f92f5f7", "job", "j1", Instant.EPOCH, Optional.empty());
            assertEquals(List.of(), other.usage().usage(tag), "another host's reading of the log is not this job's");
        }
    }
}
