package dev.tandem.hub.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.core.store.Store;
import dev.tandem.core.store.StoreSettings;
import dev.tandem.core.telemetry.Outcome;
import dev.tandem.core.telemetry.RequestEvent;
import dev.tandem.core.telemetry.TelemetryRepository;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverviewTest {
    private static final Instant NOW = Instant.parse("2026-11-21T10:30:00Z");

    @TempDir
    Path dir;

    private Store opened;

    /** Returns the telemetry of a store in {@code dir}, closed after the test. */
    private TelemetryRepository telemetry() {
        opened = Store.open(new StoreSettings(dir.resolve("memory.db"), "box"));
        return opened.telemetry();
    }

    @AfterEach
    void closeStore() {
        if (opened != null) {
            opened.close();
        }
    }

    private static RequestEvent call(String engine, String tool, long micros, Outcome outcome, Instant at) {
        return new RequestEvent(
                at,
                engine,
                engine + "-client",
                "1",
                "s",
                "tools/call",
                Optional.of(tool),
                micros,
                outcome,
                outcome == Outcome.OK ? Optional.empty() : Optional.of("tool_error"),
                2);
    }

    @Test
    void groupsByEngineAndToolWithNearestRankPercentiles() {
        TelemetryRepository store = telemetry();
        List<RequestEvent> events = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            events.add(call("claude", "memory_search", i * 1000L, i == 100 ? Outcome.TOOL_ERROR : Outcome.OK, NOW));
        }
        events.add(call("codex", "fs_read", 500, Outcome.OK, NOW));
        store.insert(events);

        Overview o = Overview.compute(store, NOW, 24, 0);
        assertEquals(
                List.of("claude", "codex"),
                o.engines().stream().map(Overview.EngineRow::engine).toList());
        Stats claude = o.tools().get(0).stats();
        assertEquals(Optional.of("memory_search"), o.tools().get(0).target());
        assertEquals(new Stats(100, 1, 50.0, 95.0, 99.0), claude);
        assertEquals(new Stats(1, 0, 0.5, 0.5, 0.5), o.tools().get(1).stats());
    }

    @Test
    void toolsTableStopsAtItsCapAndSumsTheRestAsOtherPerEngine() {
        TelemetryRepository store = telemetry();
        List<RequestEvent> events = new ArrayList<>();
        for (int i = 0; i < Overview.MAX_TOOL_ROWS + 100; i++) {
            events.add(call("codex", "unknown:tool-" + i, 1000, Outcome.OK, NOW));
        }
        store.insert(events);

        Overview o = Overview.compute(store, NOW, 24, 0);
        assertEquals(Overview.MAX_TOOL_ROWS + 1, o.tools().size());
        Overview.ToolRow other = o.tools().stream()
                .filter(t -> t.target().equals(Optional.of(Overview.OTHER)))
                .findFirst()
                .orElseThrow();
        assertEquals("codex", other.engine());
        assertEquals(Overview.OTHER, other.method());
        assertEquals(100, other.stats().calls());
        assertEquals(Overview.MAX_TOOL_ROWS + 100L, o.engines().get(0).stats().calls());
    }

    @Test
    void aLongTargetStoredEarlierIsGroupedByItsEscapedStart() {
        TelemetryRepository store = telemetry();
        String huge = "\u001b]52;c;" + "x".repeat(100_000);
        store.insert(List.of(
                call("codex", huge + "a", 1000, Outcome.OK, NOW), call("codex", huge + "b", 1000, Outcome.OK, NOW)));

        Overview o = Overview.compute(store, NOW, 24, 0);
        assertEquals(1, o.tools().size());
        String target = o.tools().get(0).target().orElseThrow();
        assertEquals(TelemetryText.MAX_TARGET_CHARS, target.length());
        assertEquals("\\u001b]52;c;xxx", target.substring(0, 15));
        assertEquals(2, o.tools().get(0).stats().calls());
    }

    @Test
    void seriesHasOnePointPerBucketAndEngineOldestFirst() {
        TelemetryRepository store = telemetry();
        Instant tenOClock = Instant.parse("2026-11-21T10:00:00Z");
        store.insert(List.of(
                call("claude", "a", 1000, Outcome.OK, tenOClock.plusSeconds(60)),
                call("claude", "a", 1000, Outcome.OK, tenOClock.plusSeconds(120)),
                call("codex", "a", 1000, Outcome.OK, tenOClock.plusSeconds(60)),
                call("claude", "a", 1000, Outcome.OK, tenOClock.minusSeconds(60)),
                call("claude", "a", 1000, Outcome.OK, NOW.minus(Duration.ofHours(25)))));

        Overview o = Overview.compute(store, NOW, 24, 0);
        assertEquals(Duration.ofHours(1), o.bucket());
        List<String> points = o.series().stream()
                .map(p -> p.at() + " " + p.engine() + " " + p.stats().calls())
                .toList();
        assertEquals(
                List.of(
                        "2026-11-21T09:00:00Z claude 1",
                        "2026-11-21T10:00:00Z claude 2",
                        "2026-11-21T10:00:00Z codex 1"),
                points);
    }

    @Test
    void bucketIsFiveMinutesUpToSixHoursAnHourUpToAWeekElseADay() {
        assertEquals(Duration.ofMinutes(5), Overview.bucketFor(6));
        assertEquals(Duration.ofHours(1), Overview.bucketFor(7));
        assertEquals(Duration.ofHours(1), Overview.bucketFor(168));
        assertEquals(Duration.ofDays(1), Overview.bucketFor(169));
    }

    private static RequestEvent request(String engine, String method, Instant at) {
        return new RequestEvent(
                at,
                engine,
                engine + "-client",
                "1",
                "s",
                method,
                Optional.empty(),
                1000,
                Outcome.OK,
                Optional.empty(),
                2);
    }

    @Test
    void protocolSetUpIsCountedApartFromToolCalls() {
        TelemetryRepository store = telemetry();
        store.insert(List.of(
                request("claude", "initialize", NOW),
                request("claude", "notifications/initialized", NOW),
                request("claude", "tools/list", NOW),
                request("claude", "resources/templates/list", NOW),
                request("claude", "ping", NOW),
                call("claude", "hub_info", 2000, Outcome.OK, NOW),
                request("codex", "initialize", NOW),
                request("codex", "tools/list", NOW)));

        Overview o = Overview.compute(store, NOW, 24, 0);
        Overview.EngineRow claude = o.engines().get(0);
        assertEquals("claude", claude.engine());
        assertEquals(1, claude.stats().calls());
        assertEquals(5, claude.setup().calls());
        Overview.EngineRow codex = o.engines().get(1);
        assertEquals("codex", codex.engine(), "an engine that only set up is still listed");
        assertEquals(0, codex.stats().calls());
        assertEquals(2, codex.setup().calls());
        assertEquals(
                List.of(1L), o.series().stream().map(p -> p.stats().calls()).toList(), "the series counts work only");
        assertEquals(8, o.tools().stream().mapToLong(t -> t.stats().calls()).sum(), "the table lists everything");
    }
}
