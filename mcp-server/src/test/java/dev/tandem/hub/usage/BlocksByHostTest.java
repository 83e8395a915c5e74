package dev.tandem.hub.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.store.Store;
import dev.tandem.core.store.StoreSettings;
import dev.tandem.core.usage.FileCursor;
import dev.tandem.core.usage.RateLimit;
import dev.tandem.core.usage.Tokens;
import dev.tandem.core.usage.UsageBatch;
import dev.tandem.core.usage.UsageEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rate-limit windows of a report: every host's for the fleet, the chosen host's when one is chosen. */
class BlocksByHostTest {
    @TempDir
    Path dir;

    /** A store of host "desktop" holding a Codex window of its own (40 %) and one the laptop's logs reported (90 %). */
    private static Store twoHosts(LogHome h) {
        Instant now = Instant.now();
        Store store = Store.open(new StoreSettings(h.data.resolve(StoreSettings.FILE_NAME), "desktop"));
        FileCursor cursor = new FileCursor("/l/r.jsonl", "codex", "(1,2)", 10, 1L, 10, "h", "{}", now);
        RateLimit desktop =
                new RateLimit("codex", "primary", 40, 300, Optional.of(now.plusSeconds(3600)), now.minusSeconds(60));
        RateLimit laptop =
                new RateLimit("codex", "primary", 90, 300, Optional.of(now.plusSeconds(3600)), now.minusSeconds(30));
        store.usage().apply(new UsageBatch(Optional.empty(), cursor, List.of(), List.of(desktop), List.of()));
        store.usage("laptop").apply(new UsageBatch(Optional.empty(), cursor, List.of(), List.of(laptop), List.of()));
        return store;
    }

    private static Blocks blocks(Store store, LogHome h) {
        return new Blocks(new Ledger(store.usage(), h.settings(), Clock.systemUTC()), store.usage(), Clock.systemUTC());
    }

    @Test
    void aReportOfOneHostShowsTheWindowsItsLogsReportedAndTheFleetsShowsEveryHosts() {
        LogHome h = new LogHome(dir);
        try (Store store = twoHosts(h)) {
            Blocks blocks = blocks(store, h);
            assertEquals(List.of(90.0), percents(blocks.report(query(Optional.of("laptop")))));
            assertEquals(List.of(40.0), percents(blocks.report(query(Optional.of("desktop")))));
            assertEquals(
                    List.of(40.0, 90.0),
                    percents(blocks.report(query(Optional.empty()))).stream()
                            .sorted()
                            .toList());
        }
    }

    @Test
    void theFleetsReportNamesTheHostOfEachWindowInItsJsonAndItsTable() {
        LogHome h = new LogHome(dir);
        try (Store store = twoHosts(h)) {
            Blocks.BlocksReport report = blocks(store, h).report(query(Optional.empty()));
            Map<String, Double> byHost = new HashMap<>();
            for (Object o : (List<?>) ReportJson.of(report, "UTC").get("windows")) {
                Map<?, ?> w = (Map<?, ?>) o;
                byHost.put((String) w.get("host"), (Double) w.get("usedPercent"));
            }
            assertEquals(Map.of("desktop", 40.0, "laptop", 90.0), byHost);
            List<String> lines = table(report);
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("Host ")), String.join("\n", lines));
            assertTrue(
                    lines.stream().anyMatch(l -> l.startsWith("desktop ") && l.contains("40.0 %")),
                    String.join("\n", lines));
            assertTrue(
                    lines.stream().anyMatch(l -> l.startsWith("laptop ") && l.contains("90.0 %")),
                    String.join("\n", lines));
        }
    }

    @Test
    void aReportOfOneHostNamesItInTheJsonAndNeedsNoHostColumn() {
        LogHome h = new LogHome(dir);
        try (Store store = twoHosts(h)) {
            Blocks.BlocksReport report = blocks(store, h).report(query(Optional.of("laptop")));
            List<?> windows = (List<?>) ReportJson.of(report, "UTC").get("windows");
            assertEquals(1, windows.size());
            assertEquals("laptop", ((Map<?, ?>) windows.get(0)).get("host"));
            assertTrue(table(report).stream().noneMatch(l -> l.startsWith("Host ")));
        }
    }

    @Test
    void aLoggedWindowCountsOnlyTheUsageOfTheHostAndEngineThatReportedIt() {
        LogHome h = new LogHome(dir);
        try (Store store = twoHosts(h)) {
            Instant at = Instant.now().minusSeconds(600);
            spend(store, "desktop", event(1, "codex", at, 1_000));
            spend(store, "laptop", event(2, "codex", at, 20), event(3, "claude", at, 300_000));
            Map<String, Long> outputByHost = new HashMap<>();
            for (Blocks.Window w :
                    blocks(store, h).report(query(Optional.empty())).windows()) {
                if (w.source().equals("log")) {
                    outputByHost.put(w.host().orElseThrow(), w.amount().tokens().output());
                }
            }
            assertEquals(Map.of("desktop", 1_000L, "laptop", 20L), outputByHost);
        }
    }

    /** The lines of the windows table of a Claude report (Claude's windows are counted from the ledger). */
    private List<String> claudeWindows(Store store, LogHome h, String engine) {
        Blocks.BlocksReport report =
                blocks(store, h).report(new Query(engine, Optional.empty(), Optional.empty(), false, Optional.empty()));
        List<String> lines = table(report);
        return lines.subList(
                lines.indexOf(lines.stream()
                        .filter(l -> l.startsWith("Host ") || l.startsWith("Engine "))
                        .findFirst()
                        .orElseThrow()),
                lines.size());
    }

    private static Map<?, ?> firstClaudeWindow(Blocks.BlocksReport report) {
        for (Object o : (List<?>) ReportJson.of(report, "UTC").get("windows")) {
            Map<?, ?> w = (Map<?, ?>) o;
            if (w.get("engine").equals("claude")) {
                return w;
            }
        }
        throw new AssertionError("no claude window");
    }

    @Test
    void claudesWindowsOfOneHostNameItInTheJsonAndNeedNoHostColumn() {
        LogHome h = new LogHome(dir);
        try (Store store = Store.open(new StoreSettings(h.data.resolve(StoreSettings.FILE_NAME), "desktop"))) {
            spend(store, "laptop", event(3, "claude", Instant.now().minusSeconds(600), 300));
            Blocks.BlocksReport report = blocks(store, h)
                    .report(new Query("claude", Optional.empty(), Optional.empty(), false, Optional.empty()));
            Map<?, ?> w = firstClaudeWindow(report);
            assertEquals("laptop", w.get("host"));
            assertEquals("one", w.get("hostScope"));
            List<String> lines = claudeWindows(store, h, "claude");
            assertTrue(lines.get(0).startsWith("Engine "), String.join("\n", lines));
        }
    }

    @Test
    void claudesWindowsOfSeveralHostsAreNamedAllHostsInAHostColumn() {
        LogHome h = new LogHome(dir);
        try (Store store = Store.open(new StoreSettings(h.data.resolve(StoreSettings.FILE_NAME), "desktop"))) {
            Instant at = Instant.now().minusSeconds(600);
            spend(store, "desktop", event(4, "claude", at, 100));
            spend(store, "laptop", event(5, "claude", at, 300));
            Blocks.BlocksReport report = blocks(store, h)
                    .report(new Query("claude", Optional.empty(), Optional.empty(), false, Optional.empty()));
            Map<?, ?> w = firstClaudeWindow(report);
            assertEquals(null, w.get("host"));
            assertEquals("several", w.get("hostScope"));
            List<String> lines = claudeWindows(store, h, "claude");
            assertTrue(lines.get(0).startsWith("Host "), String.join("\n", lines));
            assertTrue(
                    lines.stream().anyMatch(l -> l.startsWith("all hosts ") && l.contains("rolling")),
                    String.join("\n", lines));
        }
    }

    @Test
    void claudesWindowsOfNoHostAreNamedSoAndNeedNoHostColumnOnTheirOwn() {
        LogHome h = new LogHome(dir);
        try (Store store = Store.open(new StoreSettings(h.data.resolve(StoreSettings.FILE_NAME), "desktop"))) {
            Blocks.BlocksReport report = blocks(store, h)
                    .report(new Query("claude", Optional.empty(), Optional.empty(), false, Optional.empty()));
            Map<?, ?> w = firstClaudeWindow(report);
            assertEquals(null, w.get("host"));
            assertEquals("none", w.get("hostScope"));
            List<String> lines = claudeWindows(store, h, "claude");
            assertTrue(lines.get(0).startsWith("Engine "), String.join("\n", lines));
        }
    }

    @Test
    void inAFleetsReportClaudesWindowsWithNoUsageAreNoHostsNotAllHosts() {
        LogHome h = new LogHome(dir);
        try (Store store = twoHosts(h)) { // Codex windows of two hosts, no usage at all
            List<String> lines = claudeWindows(store, h, "all");
            assertTrue(lines.get(0).startsWith("Host "), String.join("\n", lines));
            assertTrue(
                    lines.stream().anyMatch(l -> l.startsWith("- ") && l.contains("claude")), String.join("\n", lines));
            assertTrue(lines.stream().noneMatch(l -> l.startsWith("all hosts")), String.join("\n", lines));
        }
    }

    private static UsageEvent event(long key, String engine, Instant at, long output) {
        return new UsageEvent(key, engine, at, "s" + key, "/p", "gpt-5", 0, new Tokens(0, 0, 0, 0, output, 0));
    }

    private static void spend(Store store, String host, UsageEvent... events) {
        FileCursor cursor =
                new FileCursor("/l/" + host + ".jsonl", "codex", "(3,4)", 10, 1L, 10, "h", "{}", Instant.now());
        assertTrue(store.usage(host)
                .apply(new UsageBatch(Optional.empty(), cursor, List.of(events), List.of(), List.of())));
    }

    private List<String> table(Blocks.BlocksReport report) {
        StringWriter out = new StringWriter();
        new ReportTable(dir).print(report, ZoneOffset.UTC, new PrintWriter(out, true));
        return out.toString().lines().toList();
    }

    private static Query query(Optional<String> host) {
        return new Query("codex", Optional.empty(), Optional.empty(), false, host);
    }

    private static List<Double> percents(Blocks.BlocksReport report) {
        return report.windows().stream()
                .filter(w -> w.source().equals("log"))
                .map(w -> w.usedPercent().orElseThrow())
                .toList();
    }
}
