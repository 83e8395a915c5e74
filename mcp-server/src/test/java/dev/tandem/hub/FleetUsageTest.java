package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.jobs.JobRecord;
import dev.tandem.core.usage.ScanRecord;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The fleet's usage on one real PostgreSQL: hubs of two hosts ({@code laptop}, {@code desktop}) each read their own
 * machine's logs (logs the real CLIs wrote: {@code src/test/resources/usage/}), a second hub on the laptop reads the
 * same logs under the same host, all poll at once, then re-read after a rotation and a restart. The fleet totals are
 * the sum of each host's totals, counted by hand from the fixtures, and nothing is counted twice. And the dashboard's
 * API of such a fleet: narrowed to one host in the query ({@code ?host=}), or the fleet's totals with each host's
 * share.
 */
class FleetUsageTest {
    /** Laptop: Codex 0.169 rollout (five responses) and two Claude Code 2.1.329 logs (4 + 1 responses). */
    private static final String LAPTOP_CODEX = "codex 5 860 4140 185 15 0.01192";

    private static final String LAPTOP_CLAUDE = "claude 5 14600 24200 605 0 0.057";
    /** Desktop: Codex 0.171 rollout (four responses) and a Claude Code 2.1.332 log (four, an unpriced model). */
    private static final String DESKTOP_CODEX = "codex 4 800 4100 165 10 0.011";

    private static final String DESKTOP_CLAUDE = "claude 4 4600 4200 105 0 0.0";
    /** The fleet: each host's, added. */
    private static final String FLEET_CODEX = "codex 9 1660 8240 350 25 0.02292";

    private static final String FLEET_CLAUDE = "claude 9 19200 28400 710 0 0.057";

    @TempDir
    Path dir;

    /** Puts one machine's logs into {@code home}, shaped as the CLIs keep them, moved to today. */
    private static void laptopLogs(Path home) throws Exception {
        UsageHubTest.place(
                "codex-0.169.0-rollout-full-then-resumed.jsonl",
                home.resolve(".codex/sessions/2026/12/06/rollout-2026-12-06T09-47-36-" + UsageHubTest.CODEX_SESSION
                        + ".jsonl"));
        UsageHubTest.place(
                "claude-2.1.329-project-log-full.jsonl",
                home.resolve(".claude/projects/-p/" + UsageHubTest.CLAUDE_SESSION + ".jsonl"));
        UsageHubTest.place(
                "claude-2.1.329-project-log-priced-sonnet.jsonl", home.resolve(".claude/projects/-p/priced.jsonl"));
    }

    private static void desktopLogs(Path home) throws Exception {
        UsageHubTest.place(
                "codex-0.171.0-rollout-full.jsonl",
                home.resolve(".codex/sessions/2026/12/06/rollout-2026-12-06T09-51-38-"
                        + "01a24ac4-24ac-7372-b8ab-e2f5eccdd9d1.jsonl"));
        UsageHubTest.place("claude-2.1.332-project-log-full.jsonl", home.resolve(".claude/projects/-q/s2332.jsonl"));
    }

    private static String toml(FleetDatabase db, String host, Path logs) {
        return db.hubToml(host) + "[usage]\ntimezone = \"UTC\"\npoll_seconds = 5\ncodex_home = \""
                + logs.resolve(".codex") + "\"\nclaude_dirs = [\"" + logs.resolve(".claude") + "\"]\n";
    }

    /** Returns "ENGINE responses input cacheRead output reasoning cost" of each engine of an amount map. */
    private static List<String> engines(JsonNode engines) {
        List<String> out = new ArrayList<>();
        for (String e : List.of("codex", "claude")) {
            JsonNode a = engines.path(e);
            if (a.isMissingNode()) {
                continue;
            }
            out.add(e + " " + a.path("responses").asLong() + " "
                    + a.path("inputTokens").asLong() + " "
                    + a.path("cacheReadTokens").asLong() + " "
                    + a.path("outputTokens").asLong() + " "
                    + a.path("reasoningTokens").asLong() + " "
                    + Math.round(a.path("costUSD").asDouble() * 1e6) / 1e6);
        }
        return out;
    }

    private static JsonNode usage(TestHub hub, String query) {
        try (DashboardHttp http = new DashboardHttp(hub)) {
            HttpResponse<String> r = http.getWithToken("/api/usage?days=1" + query);
            assertEquals(200, r.statusCode(), r.body());
            return DashboardHttp.json(r);
        }
    }

    /** Returns each host's engines, as the fleet's usage lists them host by host. */
    private static Map<String, List<String>> perHost(JsonNode usage) {
        Map<String, List<String>> out = new java.util.TreeMap<>();
        for (JsonNode row : usage.path("hosts").path("rows")) {
            out.put(row.path("key").asString(), engines(row.path("engines")));
        }
        return out;
    }

    private static final Map<String, List<String>> EXPECTED =
            Map.of("desktop", List.of(DESKTOP_CODEX, DESKTOP_CLAUDE), "laptop", List.of(LAPTOP_CODEX, LAPTOP_CLAUDE));

    /** Waits until {@code check} holds, up to a minute (the pollers read at start, then every five seconds). */
    private static void eventually(Callable<Boolean> check, Callable<String> state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!check.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never reached; last seen: " + state.call());
            }
            Thread.sleep(200);
        }
    }

    /** Starts the hubs at once, so their first reads of the logs overlap. */
    private static List<TestHub> startAtOnce(List<Callable<TestHub>> starts) throws Exception {
        List<TestHub> hubs = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(starts.size())) {
            List<Future<TestHub>> futures = new ArrayList<>();
            starts.forEach(s -> futures.add(pool.submit(s)));
            for (Future<TestHub> f : futures) {
                hubs.add(f.get());
            }
        }
        return hubs;
    }

    private static void closeAll(List<TestHub> hubs) {
        hubs.forEach(TestHub::close);
    }

    /** Waits until every host's logs were read after {@code since}. */
    private static void readAfter(FleetDatabase db, Instant since) throws Exception {
        eventually(
                () -> {
                    List<ScanRecord> scans = db.store().usage().scans();
                    return scans.stream().filter(s -> s.at().isAfter(since)).count() >= 2;
                },
                () -> db.store().usage().scans().toString());
    }

    @Test
    void twoHostsAndTwoHubsOnOneMachineMergeTheirUsageWithoutCountingAnythingTwice() throws Exception {
        Path laptopLogs = dir.resolve("laptop-machine");
        Path desktopLogs = dir.resolve("desktop-machine");
        laptopLogs(laptopLogs);
        desktopLogs(desktopLogs);
        try (FleetDatabase db = FleetDatabase.create(dir.resolve("db"), "fleetusage")) {
            List<Callable<TestHub>> starts = List.of(
                    () -> TestHub.start(dir.resolve("laptop"), toml(db, "laptop", laptopLogs), null),
                    // a second hub process on the laptop, reading the same logs under the same host name
                    () -> TestHub.start(dir.resolve("laptop-2"), toml(db, "laptop", laptopLogs), null),
                    () -> TestHub.start(dir.resolve("desktop"), toml(db, "desktop", desktopLogs), null));
            List<TestHub> hubs = startAtOnce(starts);
            try {
                TestHub desktop = hubs.get(2);
                eventually(
                        () -> perHost(usage(desktop, "")).equals(EXPECTED),
                        () -> perHost(usage(desktop, "")).toString());
                assertFleetTotals(hubs);
            } finally {
                closeAll(hubs);
            }

            // Codex archives the laptop's rollout, the desktop's Claude log moves: same responses, new paths
            Path rollout = laptopLogs.resolve(
                    ".codex/sessions/2026/12/06/rollout-2026-12-06T09-47-36-" + UsageHubTest.CODEX_SESSION + ".jsonl");
            Path archived = Files.createDirectories(laptopLogs.resolve(".codex/archived_sessions"));
            Files.move(rollout, archived.resolve(rollout.getFileName()));
            Path claude = desktopLogs.resolve(".claude/projects/-q/s2332.jsonl");
            Files.move(
                    claude,
                    Files.createDirectories(desktopLogs.resolve(".claude/projects/-q-moved"))
                            .resolve("s2332.jsonl"));
            Instant restarted = Instant.now();
            hubs = startAtOnce(starts);
            try {
                readAfter(db, restarted);
                assertFleetTotals(hubs);
            } finally {
                closeAll(hubs);
            }
        }
    }

    /** Every hub answers the same: each host its own hand-counted totals, the fleet their sum. */
    private static void assertFleetTotals(List<TestHub> hubs) {
        for (TestHub hub : hubs) {
            JsonNode all = usage(hub, "");
            assertEquals(EXPECTED, perHost(all), "per host, on the hub of " + hub.config());
            assertEquals(
                    List.of(FLEET_CODEX, FLEET_CLAUDE),
                    engines(all.path("daily").path("totals").path("engines")),
                    "the fleet's totals are the hosts' added");
            for (String host : List.of("laptop", "desktop")) {
                JsonNode one = usage(hub, "&host=" + host);
                assertEquals(host, one.path("daily").path("host").asString());
                assertEquals(
                        EXPECTED.get(host),
                        engines(one.path("daily").path("totals").path("engines")),
                        "?host=" + host);
            }
        }
    }

    /** Returns "ENGINE calls" of the overview's engine cards. */
    private static List<String> calls(JsonNode overview) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : overview.path("engines")) {
            out.add(e.path("engine").asString() + " " + e.path("calls").asLong());
        }
        return out;
    }

    private static JsonNode get(TestHub hub, String path) {
        try (DashboardHttp http = new DashboardHttp(hub)) {
            HttpResponse<String> r = http.getWithToken(path);
            assertEquals(200, r.statusCode(), r.body());
            return DashboardHttp.json(r);
        }
    }

    @Test
    void dashboardApiNarrowsToOneHostInTheQueryAndListsEachHostsShare() throws Exception {
        try (FleetDatabase db = FleetDatabase.create(dir.resolve("db"), "fleetview");
                TestHub laptop = TestHub.start(dir.resolve("laptop"), db.hubToml("laptop"), null);
                TestHub desktop = TestHub.start(dir.resolve("desktop"), db.hubToml("desktop"), null)) {
            var onLaptop = laptop.clientOn("codex", "codex-mcp-client");
            MemoryToolsTest.call(onLaptop, "hub_info", Map.of());
            MemoryToolsTest.call(onLaptop, "memory_retrieve", Map.of("id", "nosuchmemory"));
            var onDesktop = desktop.clientOn("claude", "claude-code");
            // the desktop's errors are newer and more than the limit: the laptop's must still be found
            for (int i = 0; i < 3; i++) {
                MemoryToolsTest.call(onDesktop, "memory_retrieve", Map.of("id", "gone" + i));
            }
            laptop.hub().telemetry().orElseThrow().flush(Duration.ofSeconds(10));
            desktop.hub().telemetry().orElseThrow().flush(Duration.ofSeconds(10));
            // a job the laptop ran, then newer ones of the desktop's: the laptop's is found with limit=1
            db.store()
                    .jobs()
                    .insert(JobRecord.builder("lap1", "codex", "one-shot", "/p", "look", Instant.now())
                            .host("laptop")
                            .build());
            for (int i = 0; i < 2; i++) {
                db.store()
                        .jobs()
                        .insert(JobRecord.builder("desk" + i, "claude", "one-shot", "/p", "look", Instant.now())
                                .host("desktop")
                                .build());
            }
            JsonNode jobs = get(laptop, "/api/jobs?limit=1&host=laptop").path("jobs");
            assertEquals(1, jobs.size(), jobs.toString());
            assertEquals("lap1", jobs.get(0).path("id").asString());

            JsonNode errors = get(desktop, "/api/errors?limit=1&host=laptop").path("errors");
            assertEquals(1, errors.size(), errors.toString());
            assertEquals("laptop", errors.get(0).path("host").asString());
            assertEquals("memory_retrieve", errors.get(0).path("target").asString());
            assertEquals(
                    "desktop",
                    get(desktop, "/api/errors?limit=1")
                            .path("errors")
                            .get(0)
                            .path("host")
                            .asString());

            JsonNode mine = get(desktop, "/api/overview?hours=1&host=laptop");
            assertEquals("laptop", mine.path("host").asString());
            assertEquals(List.of("codex 2"), calls(mine), "only the laptop's tool calls");
            JsonNode fleet = get(desktop, "/api/overview?hours=1");
            assertEquals(
                    List.of("claude 3", "codex 2"),
                    calls(fleet).stream().sorted().toList());
            Map<String, String> shares = new java.util.TreeMap<>();
            for (JsonNode h : fleet.path("hosts")) {
                shares.put(
                        h.path("host").asString(),
                        h.path("calls").asLong() + " calls " + h.path("errors").asLong() + " errors "
                                + h.path("jobs").asLong() + " jobs");
            }
            // each host's requests, set-up (initialize, lists) included, as the telemetry recorded them
            assertEquals(List.of("desktop", "laptop"), List.copyOf(shares.keySet()));
            assertTrue(shares.get("laptop").contains(" 1 errors 1 jobs"), shares.toString());
            assertTrue(shares.get("desktop").contains(" 3 errors 2 jobs"), shares.toString());
            assertEquals(
                    0,
                    get(desktop, "/api/overview?hours=1&host=nobody")
                            .path("engines")
                            .size());

            JsonNode hosts = get(laptop, "/api/hosts");
            assertEquals("laptop", hosts.path("self").asString());
            assertTrue(hosts.path("shared").asBoolean(), "a PostgreSQL store is a fleet's");
            assertTrue(hosts.path("picker").asBoolean());
            List<String> names = new ArrayList<>();
            hosts.path("hosts").forEach(n -> names.add(n.asString()));
            assertEquals(List.of("desktop", "laptop"), names);
        }
    }

    @Test
    void aSingleMachinesSqliteStoreShowsNoHostPicker() throws Exception {
        try (TestHub hub = TestHub.start(dir.resolve("one"), "[memory]\nhost = \"box\"\n", null)) {
            JsonNode hosts = get(hub, "/api/hosts");
            assertEquals(false, hosts.path("shared").asBoolean());
            assertEquals(false, hosts.path("picker").asBoolean(), hosts.toString());
        }
    }
}
