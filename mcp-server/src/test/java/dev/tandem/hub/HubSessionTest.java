package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubSessionTest {
    @TempDir
    Path dir;

    @Test
    void initializeIssuesASessionIdThatLaterRequestsUse() {
        try (TestHub hub = TestHub.start(dir, List.of())) {
            String a = McpHttp.openSession(hub);
            String b = McpHttp.openSession(hub);
            assertNotEquals(a, b);
            RawHttp.Response r = RawHttp.send(
                    hub.port(), "POST", "/mcp", McpHttp.headers(hub.token(), a), McpHttp.call(2, "hub_info"));
            assertEquals(200, r.status());
            assertTrue(r.body().contains(a), "hub_info reports the caller's session: " + r.body());
        }
    }

    @Test
    void requestWithoutSessionIdIs400() {
        try (TestHub hub = TestHub.start(dir, List.of())) {
            RawHttp.Response r =
                    RawHttp.send(hub.port(), "POST", "/mcp", McpHttp.headers(hub.token()), McpHttp.call(2, "hub_info"));
            assertEquals(400, r.status());
        }
    }

    @Test
    void requestWithUnknownSessionIdIs404() {
        try (TestHub hub = TestHub.start(dir, List.of())) {
            for (String method : List.of("POST", "GET", "DELETE")) {
                RawHttp.Response r = RawHttp.send(
                        hub.port(),
                        method,
                        "/mcp",
                        McpHttp.headers(hub.token(), "no-such-session"),
                        method.equals("POST") ? McpHttp.call(2, "hub_info") : null);
                assertEquals(404, r.status(), method);
            }
        }
    }

    @Test
    void deleteEndsTheSession() {
        try (TestHub hub = TestHub.start(dir, List.of())) {
            String id = McpHttp.openSession(hub);
            assertEquals(1, hub.hub().server().transport().sessionCount());
            RawHttp.Response d = RawHttp.send(hub.port(), "DELETE", "/mcp", McpHttp.headers(hub.token(), id), null);
            assertEquals(200, d.status());
            assertEquals(0, hub.hub().server().transport().sessionCount());
            RawHttp.Response r = RawHttp.send(
                    hub.port(), "POST", "/mcp", McpHttp.headers(hub.token(), id), McpHttp.call(2, "hub_info"));
            assertEquals(404, r.status());
        }
    }

    @Test
    void idleSessionsAreSwept() throws InterruptedException {
        try (TestHub hub = TestHub.start(dir, c -> c.withSessionIdleTimeout(Duration.ofMillis(300)), List.of())) {
            String id = McpHttp.openSession(hub);
            assertEquals(1, hub.hub().server().transport().sessionCount());
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (hub.hub().server().transport().sessionCount() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            RawHttp.Response r = RawHttp.send(
                    hub.port(), "POST", "/mcp", McpHttp.headers(hub.token(), id), McpHttp.call(2, "hub_info"));
            assertEquals(404, r.status());
        }
    }

    @Test
    void getOpensAnEventStreamThatCarriesServerNotifications() throws Exception {
        try (TestHub hub = TestHub.start(dir, List.of())) {
            String id = McpHttp.openSession(hub);
            HttpResponse<InputStream> stream = openGet(hub, id);
            assertEquals(200, stream.statusCode());
            assertTrue(stream.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
            hub.hub().mcp().server().notifyToolsListChanged();
            String seen = readUntil(stream.body(), "notifications/tools/list_changed");
            assertTrue(
                    seen.contains("data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\""), seen);
            stream.body().close();
        }
    }

    @Test
    void getWithoutEventStreamAcceptIs406() {
        try (TestHub hub = TestHub.start(dir, List.of())) {
            String id = McpHttp.openSession(hub);
            RawHttp.Response r = RawHttp.send(
                    hub.port(),
                    "GET",
                    "/mcp",
                    McpHttp.with(McpHttp.headers(hub.token(), id), "Accept", "application/json"),
                    null);
            assertEquals(406, r.status());
        }
    }

    @Test
    void closingTheHubEndsOpenGetStreams() throws Exception {
        TestHub hub = TestHub.start(dir, List.of());
        String id = McpHttp.openSession(hub);
        HttpResponse<InputStream> stream = openGet(hub, id);
        assertEquals(200, stream.statusCode());
        Thread closer = Thread.ofVirtual().start(hub::close);
        closer.join(Duration.ofSeconds(10));
        assertTrue(!closer.isAlive(), "close() returned while a GET stream was open");
        // the stream ends: read to EOF (an exception also means the server closed it)
        try (InputStream in = stream.body()) {
            in.readAllBytes();
        } catch (IOException expected) {
            // connection closed by the stopping server
        }
    }

    static HttpResponse<InputStream> openGet(TestHub hub, String sessionId) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest req = HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/mcp"))
                .header("Authorization", "Bearer " + hub.token())
                .header("Accept", "text/event-stream")
                .header("Mcp-Session-Id", sessionId)
                .GET()
                .build();
        return client.send(req, HttpResponse.BodyHandlers.ofInputStream());
    }

    static String readUntil(InputStream in, String marker) throws IOException {
        StringBuilder seen = new StringBuilder();
        byte[] buf = new byte[1024];
        while (!seen.toString().contains(marker)) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        return seen.toString();
    }
}
