package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Open streams against a freeze and a revocation, with real clients holding them open on two hubs of one real
 * PostgreSQL: the stream of a key revoked on one hub ends on the other, a freeze ends every stream but the person's,
 * each within about a second (the hubs read the fleet's switch and keys every 200 ms).
 */
class FleetStreamsTest {
    /** A functional deadline, as in FleetHubTest: a poll is 200 ms, so a second leaves room on a loaded machine. */
    private static final Duration DEADLINE = Duration.ofMillis(1500);

    /** How often a fleet hub reads the switch and the keys (FleetKeys). */
    private static final long POLL_MILLIS = 200;

    @TempDir
    Path dir;

    /** A stream a client holds open, read on its own thread until it ends. */
    private static final class HeldStream implements AutoCloseable {
        private final HttpClient client = HttpClient.newHttpClient();
        private final CompletableFuture<Long> ended = new CompletableFuture<>();
        private final CompletableFuture<Void> opened = new CompletableFuture<>();

        HeldStream(HttpRequest request) {
            Thread.ofVirtual().start(() -> {
                try {
                    HttpResponse<InputStream> r = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
                    if (r.statusCode() != 200) {
                        opened.completeExceptionally(new AssertionError("stream answered " + r.statusCode()));
                        return;
                    }
                    try (InputStream in = r.body()) {
                        byte[] buf = new byte[256];
                        while (in.read(buf) >= 0) {
                            opened.complete(null);
                        }
                    }
                    ended.complete(System.nanoTime());
                } catch (IOException e) {
                    ended.complete(System.nanoTime());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }

        void awaitOpen() throws Exception {
            opened.get(30, TimeUnit.SECONDS);
        }

        /** Returns how long after {@code since} the stream ended, waiting at most {@code wait}. */
        Duration endedAfter(long since, Duration wait) throws Exception {
            return Duration.ofNanos(ended.get(wait.toMillis(), TimeUnit.MILLISECONDS) - since);
        }

        boolean stillOpen() {
            return !ended.isDone();
        }

        @Override
        public void close() {
            client.shutdownNow();
        }
    }

    /** Opens a session with {@code credential} and holds its GET stream open. */
    private static HeldStream getStream(TestHub hub, String credential) throws Exception {
        RawHttp.Response init =
                RawHttp.send(hub.port(), "POST", "/mcp", McpHttp.headers(credential), McpHttp.initialize("2025-06-18"));
        assertEquals(200, init.status(), init.toString());
        String session = init.header("mcp-session-id").orElseThrow();
        RawHttp.send(
                hub.port(),
                "POST",
                "/mcp",
                McpHttp.headers(credential, session),
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        HeldStream s = new HeldStream(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/mcp"))
                .header("Authorization", "Bearer " + credential)
                .header("Accept", "text/event-stream")
                .header("Mcp-Session-Id", session)
                .GET()
                .build());
        s.awaitOpen();
        return s;
    }

    /** Holds a {@code subscriptions/listen} POST stream (protocol 2026-07-28) open with {@code credential}. */
    private static HeldStream listenStream(TestHub hub, String credential) throws Exception {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":\"listen:0\",\"method\":\"subscriptions/listen\",\"params\":{"
                + "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                + "\"io.modelcontextprotocol/clientCapabilities\":{}},\"notifications\":{\"toolsListChanged\":true}}}";
        HeldStream s = new HeldStream(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/mcp"))
                .header("Authorization", "Bearer " + credential)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", "2026-07-28")
                .header("Mcp-Method", "subscriptions/listen")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
        s.awaitOpen();
        return s;
    }

    @Test
    void revokingAHostEndsItsOpenStreamsOnAnotherHubOfTheDatabaseWithinASecond() throws Exception {
        try (FleetDatabase db = FleetDatabase.create(dir.resolve("db"), "revokestream");
                TestHub one = TestHub.start(dir.resolve("one"), db.hubToml("desktop"), null);
                TestHub two = TestHub.start(dir.resolve("two"), db.hubToml("server"), null)) {
            String laptop = db.fleet().add("laptop", true, "test").key();
            String buildbox = db.fleet().add("buildbox", true, "test").key();
            try (HeldStream get = getStream(two, laptop);
                    HeldStream listen = listenStream(two, dev.tandem.core.fleet.HostKey.engineKey(laptop, "codex"));
                    HeldStream other = getStream(two, buildbox);
                    HeldStream person = getStream(one, one.token())) {
                Thread.sleep(3 * POLL_MILLIS);
                assertTrue(get.stillOpen() && listen.stillOpen(), "a live key's streams stay open");
                long revoked = System.nanoTime();
                // what 'tandem fleet host revoke laptop' does, in the database both hubs read
                db.fleet().revoke("laptop", "test");
                Duration getEnded = get.endedAfter(revoked, DEADLINE);
                Duration listenEnded = listen.endedAfter(revoked, DEADLINE);
                assertTrue(getEnded.compareTo(DEADLINE) < 0, "GET stream ended after " + getEnded);
                assertTrue(listenEnded.compareTo(DEADLINE) < 0, "listen stream ended after " + listenEnded);
                Thread.sleep(3 * POLL_MILLIS);
                assertTrue(other.stillOpen(), "another host's stream is not cut");
                assertTrue(person.stillOpen(), "the person's stream is not cut");
                assertEquals(
                        401,
                        RawHttp.send(
                                        two.port(),
                                        "POST",
                                        "/mcp",
                                        McpHttp.headers(laptop),
                                        McpHttp.initialize("2025-06-18"))
                                .status());
            }
        }
    }

    @Test
    void rotatingAHostEndsTheOldKeysStreamButNotOneOpenedWithTheNewKey() throws Exception {
        try (FleetDatabase db = FleetDatabase.create(dir.resolve("db"), "rotatestream");
                TestHub hub = TestHub.start(dir.resolve("one"), db.hubToml("desktop"), null)) {
            String old = db.fleet().add("laptop", true, "test").key();
            try (HeldStream before = getStream(hub, old)) {
                long rotated = System.nanoTime();
                String fresh = db.fleet().rotate("laptop", "test").key();
                // opened at once with the new key, before the hub's next read of the keys: never mistaken for the old
                try (HeldStream after = getStream(hub, fresh)) {
                    Duration ended = before.endedAfter(rotated, DEADLINE);
                    assertTrue(ended.compareTo(DEADLINE) < 0, "old key's stream ended after " + ended);
                    Thread.sleep(3 * POLL_MILLIS);
                    assertTrue(after.stillOpen(), "the new key's stream stays open");
                }
            }
        }
    }

    @Test
    void freezeEndsEveryOpenStreamButThePersonsOnEveryHubWithinASecond() throws Exception {
        try (FleetDatabase db = FleetDatabase.create(dir.resolve("db"), "freezestream");
                TestHub one = TestHub.start(dir.resolve("one"), db.hubToml("desktop"), null);
                TestHub two = TestHub.start(dir.resolve("two"), db.hubToml("server"), null)) {
            String laptop = db.fleet().add("laptop", true, "test").key();
            try (HeldStream host = getStream(two, laptop);
                    HeldStream engine = getStream(one, one.token("codex"));
                    HeldStream engineListen = listenStream(two, two.token("claude"));
                    HeldStream person = getStream(one, one.token());
                    HeldStream personListen = listenStream(two, two.token())) {
                long frozen = System.nanoTime();
                db.fleet().freeze(true, "test");
                for (HeldStream s : new HeldStream[] {host, engine, engineListen}) {
                    Duration ended = s.endedAfter(frozen, DEADLINE);
                    assertTrue(ended.compareTo(DEADLINE) < 0, "a stream ended after " + ended);
                }
                Thread.sleep(3 * POLL_MILLIS);
                assertTrue(person.stillOpen(), "the person's GET stream is never cut by a freeze");
                assertTrue(personListen.stillOpen(), "nor the person's listen stream");
                db.fleet().freeze(false, "test");
                Thread.sleep(3 * POLL_MILLIS);
                try (HeldStream again = getStream(two, laptop)) {
                    Thread.sleep(3 * POLL_MILLIS);
                    assertTrue(again.stillOpen(), "after the thaw a new stream stays open");
                }
            }
        }
    }

    @Test
    void aStreamEndedByTheHubLeavesNoWatchBehindAndTheClientTimesOutNothing() throws Exception {
        // the ended GET handler returns: the same client's next request on the hub is answered at once
        try (FleetDatabase db = FleetDatabase.create(dir.resolve("db"), "afterfreeze");
                TestHub hub = TestHub.start(dir.resolve("one"), db.hubToml("desktop"), null)) {
            try (HeldStream engine = getStream(hub, hub.token("codex"))) {
                db.fleet().freeze(true, "test");
                engine.endedAfter(System.nanoTime(), Duration.ofSeconds(5));
                db.fleet().freeze(false, "test");
                Thread.sleep(3 * POLL_MILLIS);
                RawHttp.Response r = RawHttp.send(
                        hub.port(),
                        "POST",
                        "/mcp",
                        McpHttp.headers(hub.token("codex")),
                        McpHttp.initialize("2025-06-18"));
                assertEquals(200, r.status());
                assertFalse(engine.stillOpen());
            } catch (TimeoutException e) {
                throw new AssertionError("the frozen engine's stream was not ended", e);
            }
        }
    }
}
