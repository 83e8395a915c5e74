package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class HubAuthTest {
    @TempDir
    static Path dir;

    static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.start(dir, List.of());
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    static Stream<String> badAuthorizations() {
        String t = hub.token();
        return Stream.of(
                null, // no header
                "Basic " + t, // wrong scheme
                "Bearer " + "0".repeat(64), // wrong token
                "Bearer " + t + "x", // token plus extra bytes
                "Bearer  " + t, // two spaces: the token would start with a space
                "Bearer ", // empty token
                "Bearer", // scheme only
                t, // token without scheme
                "Bearer " + t.substring(1)); // one byte short
    }

    @ParameterizedTest
    @MethodSource("badAuthorizations")
    void refusesRequestWithoutTheExactBearerToken(String authorization) {
        var headers = McpHttp.with(McpHttp.headers(hub.token()), "Authorization", authorization);
        RawHttp.Response r = RawHttp.send(hub.port(), "POST", "/mcp", headers, McpHttp.initialize("2025-06-18"));
        assertEquals(401, r.status());
        assertEquals("Bearer realm=\"tandem\"", r.header("www-authenticate").orElseThrow());
        assertFalse(r.body().contains(hub.token()), "the token must never be echoed");
        assertTrue(r.body().contains("tandem token"), "the 401 says how to fix it");
    }

    @Test
    void acceptsTheTokenWithACaseInsensitiveScheme() {
        var headers = McpHttp.with(McpHttp.headers(hub.token()), "Authorization", "bearer " + hub.token());
        RawHttp.Response r = RawHttp.send(hub.port(), "POST", "/mcp", headers, McpHttp.initialize("2025-06-18"));
        assertEquals(200, r.status());
        assertTrue(r.header("mcp-session-id").isPresent());
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "DELETE"})
    void refusesOtherMethodsWithoutToken(String method) {
        RawHttp.Response r = RawHttp.send(
                hub.port(), method, "/mcp", Map.of("Accept", "text/event-stream", "Mcp-Session-Id", "x"), null);
        assertEquals(401, r.status());
    }

    @Test
    void healthNeedsNoTokenAndTellsOnlyLivenessAndVersion() {
        RawHttp.Response r = RawHttp.send(hub.port(), "GET", "/health", Map.of(), null);
        assertEquals(200, r.status());
        assertTrue(r.body().matches("\\{\"status\":\"ok\",\"version\":\"[^\"]+\"}"), r.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.example", "evil.example:80", "127.0.0.1.nip.io", "10.0.0.1"})
    void refusesForeignHostWith421(String host) {
        var headers = McpHttp.with(McpHttp.headers(hub.token()), "Host", host);
        RawHttp.Response r = RawHttp.send(hub.port(), "POST", "/mcp", headers, McpHttp.initialize("2025-06-18"));
        assertEquals(421, r.status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "127.0.0.1", "[::1]"})
    void acceptsLoopbackHostNames(String host) {
        var headers = McpHttp.with(McpHttp.headers(hub.token()), "Host", host + ":" + hub.port());
        RawHttp.Response r = RawHttp.send(hub.port(), "POST", "/mcp", headers, McpHttp.initialize("2025-06-18"));
        assertEquals(200, r.status());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"http://evil.example", "https://localhost.evil.example", "null", "file://", "http://10.1.1.1"})
    void refusesForeignOriginWith403(String origin) {
        var headers = McpHttp.with(McpHttp.headers(hub.token()), "Origin", origin);
        RawHttp.Response r = RawHttp.send(hub.port(), "POST", "/mcp", headers, McpHttp.initialize("2025-06-18"));
        assertEquals(403, r.status());
    }

    @Test
    void acceptsLoopbackOrigin() {
        var headers = McpHttp.with(McpHttp.headers(hub.token()), "Origin", "http://localhost:6274");
        RawHttp.Response r = RawHttp.send(hub.port(), "POST", "/mcp", headers, McpHttp.initialize("2025-06-18"));
        assertEquals(200, r.status());
    }

    @Test
    void checksHostBeforeTheToken() {
        var headers = McpHttp.with(McpHttp.headers("wrong"), "Host", "evil.example");
        RawHttp.Response r = RawHttp.send(hub.port(), "POST", "/mcp", headers, McpHttp.initialize("2025-06-18"));
        assertEquals(421, r.status());
    }
}
