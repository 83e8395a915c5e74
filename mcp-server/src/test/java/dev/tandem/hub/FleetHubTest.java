package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.fleet.AuditEntry;
import dev.tandem.core.fleet.FleetHost;
import dev.tandem.core.fleet.HostKey;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet hub on a real PostgreSQL, attacked with its hosts' keys: 127.0.0.1 stands for the enrolled machine,
 * 127.0.0.2 for another one that stole its key.
 */
class FleetHubTest {
    @TempDir
    Path dir;

    private static int initialize(TestHub hub, String key, String from) throws Exception {
        return post(hub, "/mcp", key, from, McpHttp.initialize("2025-11-25")).statusCode();
    }

    private static HttpResponse<String> post(TestHub hub, String path, String key, String from, String body)
            throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .localAddress(InetAddress.getByName(from))
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(hub.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        McpHttp.headers(key).forEach(req::header);
        return client.send(req.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Returns "TARGET CREDENTIAL" of each error the dashboard API lists for {@code host}. */
    private static List<String> errorTargets(TestHub hub, String host) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/api/errors?limit=50&host=" + host))
                .header("Authorization", "Bearer " + hub.token())
                .timeout(Duration.ofSeconds(30))
                .build();
        HttpResponse<String> res = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, res.statusCode(), res.body());
        List<String> out = new java.util.ArrayList<>();
        for (tools.jackson.databind.JsonNode row :
                new tools.jackson.databind.ObjectMapper().readTree(res.body()).path("errors")) {
            assertEquals(host, row.path("host").asString());
            out.add(row.path("target").asString() + " " + row.path("credential").asString());
        }
        return out;
    }

    /** Waits up to ten seconds for what the hub records after it answers (telemetry is written behind the answer). */
    private static boolean eventually(java.util.concurrent.Callable<Boolean> check) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!check.call()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    private static McpSyncClient client(TestHub hub, String key, String name) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(hub.baseUrl())
                .endpoint("/mcp")
                .addHttpRequestCustomizer((b, method, uri, body, ctx) -> b.header("Authorization", "Bearer " + key))
                .build();
        McpSyncClient client = McpClient.sync(transport)
                .clientInfo(McpSchema.Implementation.builder(name, "1.0.0").build())
                .requestTimeout(Duration.ofSeconds(30))
                .build();
        client.initialize();
        return client;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> ok(McpSchema.CallToolResult result) {
        assertFalse(result.isError(), () -> result.content().toString());
        return (Map<String, Object>) result.structuredContent();
    }

    private static McpSchema.CallToolResult call(McpSyncClient client, String tool, Map<String, Object> args) {
        return client.callTool(
                McpSchema.CallToolRequest.builder(tool).arguments(args).build());
    }

    @Test
    void stolenKeyUsedFromASecondAddressIsRefused() throws Exception {
        try (FleetDatabase db = FleetDatabase.create(dir.resolve("db"), "stolen");
                TestHub hub = TestHub.start(dir, db.hubToml("desktop"), null)) {
            String key = db.fleet().add("laptop", false, "test").key();
            assertEquals(200, initialize(hub, key, "127.0.0.1"), "the enrolled machine's first use binds the key");
            assertEquals(401, initialize(hub, key, "127.0.0.2"), "the thief on another address is refused");
            assertEquals(
                    401,
                    initialize(hub, HostKey.engineKey(key, "codex"), "127.0.0.2"),
                    "an engine key derived from the stolen key is bound too");
            assertEquals(200, initialize(hub, key, "127.0.0.1"));
            FleetHost laptop = db.fleet().hosts().getFirst();
            assertEquals("127.0.0.1", laptop.boundIp().orElseThrow());
            assertTrue(laptop.lastSeen().isPresent());
        }
    }

    @Test
    void roamingKeyWorksFromAnyAddress() throws Exception {
        try (FleetDatabase db = FleetDatabase.create(dir.resolve("db"), "roaming");
                TestHub hub = TestHub.start(dir, db.hubToml("desktop"), null)) {
            String key = db.fleet().add("laptop", true, "test").key();
            assertEquals(200, initialize(hub, key, "127.0.0.1"));
            assertEquals(200, initialize(hub, key, "127.0.0.2"));
        }
    }

    @Test
    void revokedAndRotatedKeysAreRefusedOnEveryHubOfTheDatabase() throws Exception {
        try (FleetDatabase db = FleetDatabase.create(dir.resolve("db"), "revoke");
                TestHub one = TestHub.start(dir.resolve("one"), db.hubToml("desktop"), null);
                TestHub two = TestHub.start(dir.resolve("two"), db.hubToml("server"), null)) {
            String laptop = db.fleet().add("laptop", true, "test").key();
            String box = db.fleet().add("box", true, "test").key();
            assertEquals(200, initialize(one, laptop, "127.0.0.1"));
            assertEquals(200, initialize(two, laptop, "127.0.0.1"));
            db.fleet().revoke("laptop", "test");
            assertEquals(401, initialize(one, laptop, "127.0.0.1"));
            assertEquals(401, initialize(two, laptop, "127.0.0.1"));
            String fresh = db.fleet().rotate("box", "test").key();
            assertEquals(401, initialize(one, box, "127.0.0.1"), "the old key dies with the rotation");
            assertEquals(401, initialize(two, HostKey.engineKey(box, "claude"), "127.0.0.1"));
            assertEquals(200, initialize(two, fresh, "127.0.0.1"));
        }
    }

    @Test
    void hostKeyIsNoAdminAndOpensNeitherTheDashboardNorItsApi() throws Exception {
        try (FleetDatabase db = FleetDatabase.create(dir.resolve("db"), "admin");
                TestHub hub = TestHub.start(dir, db.hubToml("desktop"), null)) {
            String key = db.fleet().add("laptop", true, "test").key();
            HttpClient client = HttpClient.newHttpClient();
            for (String path : List.of("/api/info", "/api/memories", "/")) {
                HttpResponse<String> r = client.send(
                        HttpRequest.newBuilder(URI.create(hub.baseUrl() + path))
                                .header("Authorization", "Bearer " + key)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertTrue(r.statusCode() == 401 || r.statusCode() == 302 || r.statusCode() == 303, path + " " + r);
                assertFalse(r.body().contains(key));
            }
        }
    }

    @Test
    void engineKeysOfAHostAreThatEngineOnThatHostAndCannotReadAnotherHostsClientMemories() throws Exception {
        try (FleetDatabase db = FleetDatabase.create(dir.resolve("db"), "engines");
                TestHub hub = TestHub.start(dir, db.hubToml("desktop"), null)) {
            String laptop = db.fleet().add("laptop", true, "test").key();
            String box = db.fleet().add("box", true, "test").key();
            McpSyncClient laptopCodex = client(hub, HostKey.engineKey(laptop, "codex"), "claude-code");
            @SuppressWarnings("unchecked")
            Map<String, Object> who = (Map<String, Object>)
                    ok(call(laptopCodex, "hub_info", Map.of())).get("caller");
            assertEquals("codex", who.get("engine"), "the engine comes from the key, not the client's name");
            assertEquals("laptop", who.get("host"));
            assertEquals("codex@laptop", who.get("credential"));
            McpSyncClient person = TestHubs.person(hub);
            @SuppressWarnings("unchecked")
            Map<String, Object> local =
                    (Map<String, Object>) ok(call(person, "hub_info", Map.of())).get("caller");
            assertEquals("desktop", local.get("host"), "the hub's own credentials are the hub's own host");
            McpSyncClient laptopClaude = client(hub, HostKey.engineKey(laptop, "claude"), "claude-code");
            String secret = (String) ok(call(laptopClaude, "memory_store", Map.of("content", "alpha is laptop's")))
                    .get("id");
            McpSyncClient boxClaude = client(hub, HostKey.engineKey(box, "claude"), "claude-code");
            assertTrue(
                    call(boxClaude, "memory_retrieve", Map.of("id", secret)).isError(),
                    "the same engine on another host does not see the laptop's client memories");
            McpSyncClient localClaude = hub.clientOn("claude", "claude-code");
            assertTrue(
                    call(localClaude, "memory_retrieve", Map.of("id", secret)).isError(), "nor the hub's own");
            assertFalse(
                    call(laptopClaude, "memory_retrieve", Map.of("id", secret)).isError());
            // telemetry records the box's refused call under the box, the hub's own Claude's under the hub's host
            assertTrue(eventually(() -> errorTargets(hub, "box").contains("memory_retrieve claude@box")));
            assertTrue(eventually(() -> errorTargets(hub, "desktop").contains("memory_retrieve claude")));
            assertFalse(errorTargets(hub, "desktop").contains("memory_retrieve claude@box"));
            laptopCodex.close();
            laptopClaude.close();
            boxClaude.close();
        }
    }

    @Test
    void freezeRefusesEveryNonAdminRequestOnBothHubsWithinOneSecond() throws Exception {
        try (FleetDatabase db = FleetDatabase.create(dir.resolve("db"), "freeze");
                TestHub one = TestHub.start(dir.resolve("one"), db.hubToml("desktop"), null);
                TestHub two = TestHub.start(dir.resolve("two"), db.hubToml("server"), null)) {
            String key = db.fleet().add("laptop", true, "test").key();
            assertEquals(200, initialize(one, key, "127.0.0.1"));
            long start = System.nanoTime();
            db.fleet().freeze(true, "test");
            // a functional deadline: both hubs refuse within one second of the switch
            long deadline = start + Duration.ofSeconds(1).toNanos();
            boolean oneFrozen = false;
            boolean twoFrozen = false;
            while (System.nanoTime() < deadline && !(oneFrozen && twoFrozen)) {
                oneFrozen = oneFrozen || initialize(one, key, "127.0.0.1") == 503;
                twoFrozen = twoFrozen || initialize(two, key, "127.0.0.1") == 503;
            }
            assertTrue(oneFrozen && twoFrozen, "both hubs refuse within a second: " + oneFrozen + " " + twoFrozen);
            assertEquals(503, initialize(one, one.token("codex"), "127.0.0.1"), "the hub's own engines too");
            assertEquals(200, initialize(one, one.token(), "127.0.0.1"), "the person's token is admin");
            // a host key has no way to thaw: no route takes it, and the switch is only in the database
            assertEquals(503, post(one, "/api/fleet/thaw", key, "127.0.0.1", "").statusCode());
            db.fleet().freeze(false, "test");
            Thread.sleep(2 * FleetKeysPoll.MILLIS);
            assertEquals(200, initialize(two, key, "127.0.0.1"));
        }
    }

    @Test
    void dashboardFreezesTheFleetWithThePersonsTokenOnlyAndShowsHostsAndAudit() throws Exception {
        try (FleetDatabase db = FleetDatabase.create(dir.resolve("db"), "dashboard");
                TestHub hub = TestHub.start(dir, db.hubToml("desktop"), null)) {
            String key = db.fleet().add("laptop", true, "test").key();
            assertEquals(
                    401,
                    post(hub, "/api/admin/fleet/freeze", key, "127.0.0.1", "").statusCode());
            assertEquals(
                    401,
                    post(hub, "/api/admin/fleet/freeze", hub.token("codex"), "127.0.0.1", "")
                            .statusCode());
            assertFalse(db.fleet().frozen(), "neither a host key nor an engine's credential freezes the fleet");
            assertEquals(
                    200,
                    post(hub, "/api/admin/fleet/freeze", hub.token(), "127.0.0.1", "")
                            .statusCode());
            assertTrue(db.fleet().frozen());
            HttpResponse<String> view = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/api/admin/fleet"))
                                    .header("Authorization", "Bearer " + hub.token())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, view.statusCode(), view.body());
            assertTrue(view.body().contains("\"frozen\":true"), view.body());
            assertTrue(view.body().contains("\"laptop\""), view.body());
            assertTrue(view.body().contains("person@desktop"), view.body());
            assertFalse(view.body().contains(HostKey.parse(key).orElseThrow().secret()), view.body());
            assertEquals(
                    200,
                    post(hub, "/api/admin/fleet/thaw", hub.token(), "127.0.0.1", "")
                            .statusCode());
            assertFalse(db.fleet().frozen());
        }
    }

    @Test
    void bruteForceFromOneAddressIsBlockedEvenForTheRightKey() throws Exception {
        try (FleetDatabase db = FleetDatabase.create(dir.resolve("db"), "brute");
                TestHub hub = TestHub.start(dir, db.hubToml("desktop"), null)) {
            String key = db.fleet().add("laptop", true, "test").key();
            HostKey.Presented p = HostKey.parse(key).orElseThrow();
            int slowed = 0;
            for (int i = 0; i < 30; i++) {
                String guess = "thk1." + p.keyId() + ".guess" + "x".repeat(20) + i;
                long t = System.nanoTime();
                assertEquals(401, initialize(hub, guess, "127.0.0.2"));
                if (System.nanoTime() - t > Duration.ofMillis(90).toNanos()) {
                    slowed++;
                }
            }
            assertTrue(slowed > 0, "later guesses wait");
            assertEquals(429, initialize(hub, key, "127.0.0.2"), "after 30 failures the address is not even checked");
            assertEquals(200, initialize(hub, key, "127.0.0.1"), "another address is not blocked");
        }
    }

    @Test
    void keysNeverAppearInLogsHostListOrAuditLog() throws Exception {
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        Logger root = Logger.getLogger("");
        Handler capture = new StreamHandler(logged, new java.util.logging.SimpleFormatter()) {
            @Override
            public synchronized void publish(LogRecord record) {
                super.publish(record);
                flush();
            }
        };
        capture.setLevel(Level.ALL);
        Logger fleet = Logger.getLogger("dev.tandem");
        Level before = fleet.getLevel();
        fleet.setLevel(Level.ALL);
        root.addHandler(capture);
        try (FleetDatabase db = FleetDatabase.create(dir.resolve("db"), "secret");
                TestHub hub = TestHub.start(dir, db.hubToml("desktop"), null)) {
            String key = db.fleet().add("laptop", false, "test").key();
            assertEquals(200, initialize(hub, key, "127.0.0.1"));
            assertEquals(401, initialize(hub, key, "127.0.0.2"));
            String rotated = db.fleet().rotate("laptop", "test").key();
            assertEquals(401, initialize(hub, key, "127.0.0.1"));
            db.fleet().revoke("laptop", "test");
            assertEquals(401, initialize(hub, rotated, "127.0.0.1"));
            String secret = HostKey.parse(key).orElseThrow().secret();
            String secret2 = HostKey.parse(rotated).orElseThrow().secret();
            String everything = logged.toString(StandardCharsets.UTF_8)
                    + db.fleet().hosts()
                    + db.fleet().audit(100).stream().map(AuditEntry::toString).toList();
            assertTrue(everything.contains("laptop"), "the log and rows were captured");
            assertTrue(logged.toString(StandardCharsets.UTF_8).contains("host key refused"), everything);
            assertFalse(everything.contains(secret), everything);
            assertFalse(everything.contains(secret2), everything);
            List<String> actions =
                    db.fleet().audit(100).stream().map(AuditEntry::action).toList();
            assertTrue(
                    actions.containsAll(List.of("host-add", "enrol", "host-rotate", "host-revoke")),
                    actions.toString());
        } finally {
            root.removeHandler(capture);
            fleet.setLevel(before);
        }
    }

    /** The freeze switch's poll interval, as the hub's {@code FleetKeys} reads it. */
    private static final class FleetKeysPoll {
        static final long MILLIS = dev.tandem.hub.fleet.FleetKeys.pollEvery().toMillis();
    }

    /** The person's own client on a test hub. */
    private static final class TestHubs {
        static McpSyncClient person(TestHub hub) {
            return hub.clientOn("person", "tandem-test");
        }
    }
}
