package dev.tandem.hub.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.config.ConfigException;
import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.HubConfigLoader;
import dev.tandem.core.config.HubFlags;
import dev.tandem.core.store.Store;
import dev.tandem.core.store.StoreSettings;
import dev.tandem.core.telemetry.Outcome;
import dev.tandem.core.telemetry.Recorded;
import dev.tandem.core.telemetry.RequestEvent;
import dev.tandem.core.telemetry.TelemetryRepository;
import dev.tandem.hub.SettableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetryRetentionTest {
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

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

    static RequestEvent at(Instant at, String tool) {
        return new RequestEvent(
                at,
                "claude",
                "claude-code",
                "2.1",
                "s1",
                "tools/call",
                Optional.of(tool),
                1500,
                Outcome.OK,
                Optional.empty(),
                12);
    }

    private static List<String> targets(TelemetryRepository store) {
        return store.between(Instant.EPOCH, NOW.plus(Duration.ofDays(400))).stream()
                .map(r -> r.event().target().orElseThrow())
                .toList();
    }

    @Test
    void startDeletesRowsOlderThanTheRetentionAndKeepsNewerOnes() {
        TelemetryRepository store = telemetry();
        store.insert(List.of(
                at(NOW.minus(Duration.ofDays(31)), "old"),
                at(NOW.minus(Duration.ofDays(30)).minusMillis(1), "just-too-old"),
                at(NOW.minus(Duration.ofDays(30)).plusSeconds(60), "just-kept"),
                at(NOW.minus(Duration.ofHours(1)), "recent")));
        try (TelemetryRecorder recorder =
                TelemetryRecorder.start(store, new TelemetrySettings(true, 30, 100), new SettableClock(NOW))) {
            recorder.flush(Duration.ofSeconds(10)); // the writer prunes before it takes anything from the queue
            assertEquals(List.of("just-kept", "recent"), targets(store));
        }
    }

    @Test
    void pruneFollowsTheClockAndTheConfiguredDays() {
        SettableClock clock = new SettableClock(NOW);
        TelemetryRepository store = telemetry();
        try (TelemetryRecorder recorder = TelemetryRecorder.start(store, new TelemetrySettings(true, 7, 100), clock)) {
            recorder.flush(Duration.ofSeconds(10));
            store.insert(List.of(at(NOW.minus(Duration.ofDays(6)), "six-days"), at(NOW, "now")));
            assertEquals(0, recorder.prune());
            clock.advance(Duration.ofDays(2));
            assertEquals(1, recorder.prune());
            assertEquals(List.of("now"), targets(store));
        }
    }

    @Test
    void recordedEventsReachTheStoreWithTheHost() {
        TelemetryRepository store = telemetry();
        try (TelemetryRecorder recorder =
                TelemetryRecorder.start(store, new TelemetrySettings(true, 30, 100), new SettableClock(NOW))) {
            recorder.record(at(NOW.minusSeconds(5), "memory_search"));
            recorder.flush(Duration.ofSeconds(10));
            List<Recorded> rows = store.between(NOW.minusSeconds(60), NOW);
            assertEquals(1, rows.size());
            assertEquals("box", rows.get(0).host());
            assertEquals(at(NOW.minusSeconds(5), "memory_search"), rows.get(0).event());
        }
    }

    private TelemetrySettings settings(String hubToml, Map<String, String> env) throws IOException {
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve(".tandem"));
        Files.writeString(home.resolve(".tandem/hub.toml"), hubToml);
        HubConfig config = new HubConfigLoader(home, home, home, env).load(Optional.empty(), HubFlags.none());
        return TelemetrySettings.from(config.reader("telemetry"));
    }

    @Test
    void retentionComesFromTheSectionAndTheEnvironmentWins() throws IOException {
        String toml = "[telemetry]\nretention_days = 7\nenabled = false\n";
        assertEquals(new TelemetrySettings(false, 7, 10_000), settings(toml, Map.of()));
        assertEquals(
                3,
                settings(toml, Map.of("TANDEM_TELEMETRY_RETENTION_DAYS", "3")).retentionDays());
        assertEquals(30, settings("", Map.of()).retentionDays());
    }

    @Test
    void retentionOutOfRangeNamesFileAndLine() {
        ConfigException e =
                assertThrows(ConfigException.class, () -> settings("[telemetry]\n\nretention_days = 0\n", Map.of()));
        assertTrue(
                e.getMessage()
                        .endsWith("hub.toml:3:1: [telemetry] retention_days must be a whole number from 1 to 36500"),
                e.getMessage());
    }

    @Test
    void fullQueueDropsAndCountsInsteadOfWaiting() {
        TelemetryRepository store = telemetry();
        try (TelemetryRecorder recorder =
                TelemetryRecorder.unstarted(store, new TelemetrySettings(true, 30, 2), new SettableClock(NOW))) {
            recorder.record(at(NOW, "first"));
            recorder.record(at(NOW, "second"));
            recorder.record(at(NOW, "third"));
            assertEquals(1, recorder.dropped());
            recorder.startWriter();
            recorder.flush(Duration.ofSeconds(10));
            assertEquals(List.of("first", "second"), targets(store));
        }
    }
}
