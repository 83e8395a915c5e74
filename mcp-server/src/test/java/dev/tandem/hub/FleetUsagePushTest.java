package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.fleet.HostKey;
import dev.tandem.core.json.Json;
import dev.tandem.core.store.Store;
import dev.tandem.core.store.StoreSettings;
import dev.tandem.core.usage.DamagedCount;
import dev.tandem.core.usage.DamagedResponse;
import dev.tandem.core.usage.FileCursor;
import dev.tandem.core.usage.Tokens;
import dev.tandem.core.usage.UsageBatch;
import dev.tandem.core.usage.UsageEvent;
import dev.tandem.hub.usage.UsageScanner;
import dev.tandem.hub.usage.UsageSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tandem fleet push-usage} from enrolled machines (child processes with their own homes) to a fleet hub on a
 * real PostgreSQL, and the attacks on {@code /api/fleet/usage}: the keys that may not write a host's usage, a host
 * claiming responses another host read, bodies that are not batches.
 */
class FleetUsagePushTest {
    private static final String CLAUDE_FIXTURE = "claude-2.1.329-project-log-full.jsonl";
    private static final String CODEX_FIXTURE = "codex-0.169.0-rollout-full-then-resumed.jsonl";
    private static final Instant FAR = Instant.parse("2100-01-01T00:00:00Z");

    @TempDir
    Path dir;

    /** A machine's home: the two fixtures as its engines' logs, its usage roots in hub.toml, enrolled with the hub. */
    private Path machine(String name, TestHub hub, String key) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name));
        place(CODEX_FIXTURE, home.resolve(".codex/sessions/2026/12/06/rollout-2026-12-06T09-47-36-" + name + ".jsonl"));
        place(CLAUDE_FIXTURE, home.resolve(".claude/projects/-p/session.jsonl"));
        Path tandem = Files.createDirectories(home.resolve(".tandem"));
        Files.writeString(
                tandem.resolve("hub.toml"),
                "[usage]\ncodex_home = \"" + home.resolve(".codex") + "\"\nclaude_dirs = [\"" + home.resolve(".claude")
                        + "\"]\n");
        Path fleet = Files.createDirectories(tandem.resolve("fleet"));
        Files.writeString(fleet.resolve("hub.url"), hub.baseUrl() + "\n");
        Files.writeString(fleet.resolve("host.key"), key + "\n");
        return home;
    }

    private static void place(String fixture, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try (InputStream in = FleetUsagePushTest.class.getResourceAsStream("/usage/" + fixture)) {
            Files.write(target, in.readAllBytes());
        }
    }

    record Run(int exit, String output) {}

    /** Runs {@code tandem fleet push-usage} as the machine would: its own JVM, its own home. */
    private static Run push(Path home) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED",
                "-Duser.home=" + home,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "fleet",
                "push-usage");
        pb.environment().remove("CODEX_HOME");
        pb.environment().remove("CLAUDE_CONFIG_DIR");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new Run(p.exitValue(), output);
    }

    /** Returns responses and tokens per engine of {@code host} in {@code store}'s ledger. */
    private static Map<String, List<Long>> ledger(Store store, String host) {
        Map<String, List<Long>> out = new TreeMap<>();
        store.usage().rollups(Instant.EPOCH, FAR, r -> {
            if (!r.host().equals(host)) {
                return;
            }
            List<Long> was = out.getOrDefault(r.engine(), List.of(0L, 0L, 0L));
            Tokens t = r.tokens();
            out.put(r.engine(), List.of(was.get(0) + r.responses(), was.get(1) + t.total(), was.get(2) + t.output()));
        });
        return out;
    }

    /** What a hub on the machine itself would have read from the same logs: a local SQLite ledger. */
    private Map<String, List<Long>> readLocally(Path home) {
        UsageSettings settings = new UsageSettings(
                true,
                Duration.ofSeconds(60),
                List.of(home.resolve(".codex")),
                List.of(home.resolve(".claude")),
                java.time.ZoneOffset.UTC,
                List.of(),
                dev.tandem.hub.usage.Prices.shipped());
        Path data = dir.resolve("local-" + home.getFileName());
        try (Store local = Store.open(new StoreSettings(data.resolve(StoreSettings.FILE_NAME), "here"))) {
            UsageScanner.Result r = new UsageScanner(
                            local.usage(), settings, data.resolve("usage-scan.lock"), Clock.systemUTC())
                    .scan(Duration.ZERO);
            assertTrue(r.ran());
            return ledger(local, "here");
        }
    }

    private static HttpResponse<String> request(TestHub hub, String method, String path, String key, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A fleet hub named desktop on a fresh database of the test run's PostgreSQL, and its store as reports read it. */
    private record Fleet(FleetDatabase db, TestHub hub, Store store) implements AutoCloseable {
        static Fleet start(Path dir, String hint) {
            FleetDatabase db = FleetDatabase.create(dir.resolve("db"), hint);
            TestHub hub = null;
            try {
                hub = TestHub.start(dir.resolve("desktop"), db.hubToml("desktop"), null);
                return new Fleet(db, hub, Store.open(StoreSettings.from(hub.config())));
            } catch (RuntimeException e) {
                if (hub != null) {
                    hub.close();
                }
                db.close();
                throw e;
            }
        }

        /** Enrols {@code host} (roaming) and returns its host key. */
        String enrol(String host) {
            return db.fleet().add(host, true, "test").key();
        }

        @Override
        public void close() {
            try (db;
                    hub;
                    store) {
                // closed in reverse: the store, the hub, the database
            }
        }
    }

    @Test
    void anEnrolledMachineSendsItsUsageOnceAndThenOnlyWhatIsNew() throws Exception {
        try (Fleet fleet = Fleet.start(dir, "pushusage")) {
            String key = fleet.db().fleet().add("laptop", false, "test").key();
            Path laptop = machine("laptop", fleet.hub(), key);
            Map<String, List<Long>> expected = readLocally(laptop);
            assertEquals(5L, expected.get("codex").get(0), expected.toString());
            assertTrue(expected.get("claude").get(0) > 0, expected.toString());

            Run first = push(laptop);
            assertEquals(0, first.exit(), first.output());
            assertTrue(first.output().contains(" as laptop"), first.output());
            assertFalse(first.output().contains(key), "the key was printed");
            assertEquals(expected, ledger(fleet.store(), "laptop"), "the fleet holds what the machine read");

            Run again = push(laptop);
            assertEquals(0, again.exit(), again.output());
            assertTrue(again.output().contains("sent 0 responses to"), again.output());
            assertEquals(expected, ledger(fleet.store(), "laptop"), "a second push counted something twice");

            // one more response is written to the Claude log: only it is read and sent
            Path log = laptop.resolve(".claude/projects/-p/session.jsonl");
            String last = Files.readAllLines(log).stream()
                    .filter(l -> l.contains("\"msg_mock_8\""))
                    .reduce((a, b) -> b)
                    .orElseThrow();
            Files.writeString(
                    log,
                    last.replace("msg_mock_8", "msg_mock_new").replace("req_mock_8", "req_mock_new") + "\n",
                    StandardOpenOption.APPEND);
            Run third = push(laptop);
            assertEquals(0, third.exit(), third.output());
            assertTrue(third.output().contains("sent 1 response to"), third.output());
            Map<String, List<Long>> after = ledger(fleet.store(), "laptop");
            assertEquals(expected.get("claude").get(0) + 1, after.get("claude").get(0), after.toString());
            assertEquals(expected.get("codex"), after.get("codex"));
            assertEquals(Map.of(), ledger(fleet.store(), "desktop"), "the hub's own host got the laptop's rows");
        }
    }

    @Test
    void aHostCannotClaimResponsesAnotherHostReadAndOnlyAHostsOwnKeyWritesItsUsage() throws Exception {
        try (Fleet fleet = Fleet.start(dir, "pushattack")) {
            String laptopKey = fleet.enrol("laptop");
            String thiefKey = fleet.enrol("thief");
            Path laptop = machine("laptop", fleet.hub(), laptopKey);
            assertEquals(0, push(laptop).exit());
            Map<String, List<Long>> laptops = ledger(fleet.store(), "laptop");

            // the other host sends the very same logs (copied, or a shared folder): nothing is counted twice, and
            // the laptop's rows are left as they were
            Path thief = machine("thief", fleet.hub(), thiefKey);
            // ... with every Claude response made larger, which would raise the laptop's rows if the hub took them
            Path copy = thief.resolve(".claude/projects/-p/session.jsonl");
            Files.writeString(
                    copy, Files.readString(copy).replaceAll("\"output_tokens\":(\\d+)", "\"output_tokens\":9$1"));
            Run stolen = push(thief);
            assertEquals(0, stolen.exit(), stolen.output());
            assertEquals(laptops, ledger(fleet.store(), "laptop"));
            Map<String, List<Long>> thiefs = ledger(fleet.store(), "thief");
            assertEquals(Map.of(), thiefs, "responses another host read were counted again: " + thiefs);

            String batches = "{\"batches\":[]}";
            for (String engineKey :
                    List.of(HostKey.engineKey(laptopKey, "codex"), HostKey.engineKey(laptopKey, "claude"))) {
                HttpResponse<String> r = request(fleet.hub(), "POST", "/api/fleet/usage/batches", engineKey, batches);
                assertEquals(403, r.statusCode(), "an agent's key wrote its machine's usage: " + r.body());
            }
            assertEquals(
                    403,
                    request(
                                    fleet.hub(),
                                    "POST",
                                    "/api/fleet/usage/batches",
                                    fleet.hub().token(),
                                    batches)
                            .statusCode());
            assertEquals(
                    403,
                    request(
                                    fleet.hub(),
                                    "GET",
                                    "/api/fleet/usage/cursors",
                                    fleet.hub().token(),
                                    null)
                            .statusCode());
            assertEquals(
                    401,
                    request(fleet.hub(), "POST", "/api/fleet/usage/batches", null, batches)
                            .statusCode());

            HttpResponse<String> notBatches =
                    request(fleet.hub(), "POST", "/api/fleet/usage/batches", laptopKey, "{\"batches\":[{\"to\":3}]}");
            assertEquals(400, notBatches.statusCode());
            assertTrue(notBatches.body().contains("cannot be read"), notBatches.body());
            HttpResponse<String> cursors = request(fleet.hub(), "GET", "/api/fleet/usage/cursors", laptopKey, null);
            assertEquals(200, cursors.statusCode());
            assertTrue(cursors.body().contains("\"host\":\"laptop\""), cursors.body());
            assertFalse(cursors.body().contains(thief.toString()), "one host sees another's logs");

            fleet.db().fleet().revoke("laptop", "test");
            HttpResponse<String> revoked = request(fleet.hub(), "GET", "/api/fleet/usage/cursors", laptopKey, null);
            assertEquals(401, revoked.statusCode());
            Run refused = push(laptop);
            assertEquals(2, refused.exit(), refused.output());
            assertTrue(refused.output().contains("answered 401"), refused.output());
            assertEquals(laptops, ledger(fleet.store(), "laptop"));
        }
    }

    @Test
    void aStaleCursorIsRefusedOverHttpAndAHostNamedAsTheHubCannotMoveTheHubsOwnCursors() throws Exception {
        try (Fleet fleet = Fleet.start(dir, "pushstale")) {
            String key = fleet.enrol("laptop");
            Instant at = Instant.now().minusSeconds(60);
            FileCursor to = cursor("/l/s.jsonl", 100, at);
            FileCursor elsewhere = cursor("/l/s.jsonl", 50, at);
            UsageEvent e = claude("msg_x", at, 10);
            UsageBatch stale = new UsageBatch(Optional.of(elsewhere), to, List.of(e), List.of(), List.of());
            UsageBatch first = new UsageBatch(Optional.empty(), to, List.of(e), List.of(), List.of());

            HttpResponse<String> r = postBatches(fleet.hub(), key, stale);
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().contains("\"refused\":[0]"), r.body());
            assertEquals(Map.of(), ledger(fleet.store(), "laptop"), "a refused batch wrote its events");
            r = postBatches(fleet.hub(), key, first);
            assertTrue(r.body().contains("\"refused\":[]"), r.body());
            // the answer was lost and the push sent again: refused, as its cursor has moved; nothing twice
            r = postBatches(fleet.hub(), key, first);
            assertTrue(r.body().contains("\"refused\":[0]"), r.body());
            assertEquals(Map.of("claude", List.of(1L, 15L, 5L)), ledger(fleet.store(), "laptop"));

            String namesake = fleet.enrol("desktop");
            HttpResponse<String> own = request(fleet.hub(), "GET", "/api/fleet/usage/cursors", namesake, null);
            assertEquals(409, own.statusCode(), own.body());
            assertTrue(own.body().contains("the fleet hub's own name"), own.body());
        }
    }

    /**
     * One bound for a response's token counts ({@link Tokens#MAX_PER_RESPONSE}): a count at it that a machine's log
     * gives is read there and sent whole, one above it is read by neither the machine nor the hub.
     */
    @Test
    void aTokenCountAtTheBoundIsReadAndSentWholeAndOneAboveItIsReadNowhere() throws Exception {
        long bound = Tokens.MAX_PER_RESPONSE;
        try (Fleet fleet = Fleet.start(dir, "pushbound")) {
            String key = fleet.enrol("laptop");
            Path laptop = machine("laptop", fleet.hub(), key);
            String line = Files.readAllLines(laptop.resolve(".claude/projects/-p/session.jsonl")).stream()
                    .filter(l -> l.contains("\"msg_mock_8\""))
                    .reduce((a, b) -> b)
                    .orElseThrow();
            Files.writeString(
                    laptop.resolve(".claude/projects/-p/bound.jsonl"),
                    line.replace("msg_mock_8", "msg_at_bound")
                                    .replace("\"output_tokens\":15", "\"output_tokens\":" + bound)
                            + "\n"
                            + line.replace("msg_mock_8", "msg_above_bound")
                                    .replace("\"output_tokens\":15", "\"output_tokens\":" + (bound + 1))
                            + "\n");
            Map<String, List<Long>> expected = readLocally(laptop);
            Map<String, List<Long>> withoutBoundLog = readLocally(machine("plain", fleet.hub(), key));
            assertEquals(
                    withoutBoundLog.get("claude").get(0) + 1,
                    expected.get("claude").get(0),
                    "the machine reads the response at the bound, not the one above it: " + expected);
            assertEquals(
                    withoutBoundLog.get("claude").get(2) + bound,
                    expected.get("claude").get(2));

            Run run = push(laptop);
            assertEquals(0, run.exit(), run.output());
            assertEquals(expected, ledger(fleet.store(), "laptop"), "the fleet holds exactly what the machine read");
            assertTrue(
                    run.output().contains(" responses and 1 damaged response (not counted) to the fleet"),
                    run.output());

            // sent by hand, the two sides of the bound: the count above it is left out, the one at it is kept
            Instant at = Instant.now().minusSeconds(60);
            FileCursor to = cursor("/l/bound.jsonl", 100, at);
            UsageEvent above = claude("msg_by_hand_above", at, bound + 1);
            UsageEvent atBound = claude("msg_by_hand_at", at, bound);
            HttpResponse<String> r = postBatches(
                    fleet.hub(),
                    key,
                    new UsageBatch(Optional.empty(), to, List.of(above, atBound), List.of(), List.of()));
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().contains("\"invalid\":1"), r.body());
            List<Long> claude = ledger(fleet.store(), "laptop").get("claude");
            assertEquals(expected.get("claude").get(0) + 1, claude.get(0), "the response at the bound was kept");
            assertEquals(expected.get("claude").get(1) + bound + 5, claude.get(1), "and kept whole");
        }
    }

    @Test
    void aHostsPushNeverRemovesTheDamagedResponsesAnotherHostRead() throws Exception {
        try (Fleet fleet = Fleet.start(dir, "pushdamaged")) {
            String laptopKey = fleet.enrol("laptop");
            String thiefKey = fleet.enrol("thief");
            Instant at = Instant.now().minusSeconds(60);
            long key = UsageEvent.keyOf("claude", "msg_damaged");
            DamagedResponse damaged = new DamagedResponse(key, "claude", at);
            HttpResponse<String> r = postBatches(
                    fleet.hub(),
                    laptopKey,
                    new UsageBatch(
                            Optional.empty(),
                            cursor("/l/s.jsonl", 100, at),
                            List.of(),
                            List.of(),
                            List.of(),
                            List.of(damaged)));
            assertEquals(200, r.statusCode(), r.body());
            List<DamagedCount> laptops = List.of(new DamagedCount("laptop", "claude", 1));
            assertEquals(laptops, fleet.store().usage().damaged(Instant.EPOCH, FAR));

            // another host sends a response of the same key: its own response, counted under it; the laptop's
            // damaged one stays counted (a key on two hosts is two responses)
            r = postBatches(
                    fleet.hub(),
                    thiefKey,
                    new UsageBatch(
                            Optional.empty(),
                            cursor("/t/s.jsonl", 100, at),
                            List.of(claude("msg_damaged", at, 10)),
                            List.of(),
                            List.of()));
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(laptops, fleet.store().usage().damaged(Instant.EPOCH, FAR), "another host removed them");
            assertEquals(Map.of("claude", List.of(1L, 15L, 5L)), ledger(fleet.store(), "thief"));
        }
    }

    /** A cursor of a Claude Code log at {@code offset}, read at {@code at}. */
    private static FileCursor cursor(String path, long offset, Instant at) {
        return new FileCursor(path, "claude", "(1,2)", offset, 1, offset, "h", "{}", at);
    }

    /** A Claude Code response of {@code input} tokens in and 5 out. */
    private static UsageEvent claude(String id, Instant at, long input) {
        return new UsageEvent(
                UsageEvent.keyOf("claude", id),
                "claude",
                at,
                "s",
                "/p",
                "claude-opus-4-5",
                0,
                new Tokens(input, 0, 0, 0, 5, 0));
    }

    /** Sends {@code batches} to the hub's {@code POST /api/fleet/usage/batches} with {@code key}. */
    private static HttpResponse<String> postBatches(TestHub hub, String key, UsageBatch... batches) throws Exception {
        return request(hub, "POST", "/api/fleet/usage/batches", key, batches(batches));
    }

    private static String batches(UsageBatch... batches) {
        return Json.mapper().writeValueAsString(Map.of("batches", List.of(batches)));
    }
}
