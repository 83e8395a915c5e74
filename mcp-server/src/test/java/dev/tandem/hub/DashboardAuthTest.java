package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpSyncClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardAuthTest {
    private static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; "
            + "script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

    @TempDir
    Path dir;

    private TestHub hub;
    private DashboardHttp http;

    @BeforeEach
    void start() {
        hub = TestHub.start(dir, "[memory]\nhost = \"box\"\n", null);
        http = new DashboardHttp(hub);
    }

    @AfterEach
    void stop() {
        http.close();
        hub.close();
    }

    private String ownOrigin() {
        return "http://127.0.0.1:" + hub.port();
    }

    @Test
    void everyDashboardPathAnswers401WithoutCookieOrToken() {
        HttpResponse<String> page = http.get("/dashboard", Map.of());
        assertEquals(401, page.statusCode());
        assertTrue(page.body().contains("tandem dashboard"), page.body());
        assertEquals(401, http.get("/dashboard/assets/app.js", Map.of()).statusCode());
        for (String api : List.of("/api/whoami", "/api/overview", "/api/errors", "/api/memories", "/api/sync")) {
            HttpResponse<String> r = http.get(api, Map.of());
            assertEquals(401, r.statusCode(), api);
            assertEquals("unauthorized", DashboardHttp.json(r).path("error").asString(), api);
        }
        assertEquals(
                401,
                http.send("DELETE", "/api/memories/abc", Map.of("Origin", ownOrigin()))
                        .statusCode());
    }

    @Test
    void repeatedWrongTokensOnTheApiAreSlowedDownAsOnMcp() {
        // the first five failures answer at once, then each waits 100 ms more: 100 + 200 + 300 ms for three more
        long start = System.nanoTime();
        for (int i = 0; i < 8; i++) {
            assertEquals(
                    401,
                    http.get("/api/whoami", Map.of("Authorization", "Bearer wrong-" + i))
                            .statusCode());
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 600, "8 wrong tokens answered in " + millis + " ms, not slowed");
    }

    @Test
    void wrongTokensOnMcpAndTheApiCountTogether() {
        // warm both paths up with the right token, which does not reset the count
        assertEquals(200, http.getWithToken("/api/whoami").statusCode());
        assertEquals(
                200,
                RawHttp.send(hub.port(), "POST", "/mcp", McpHttp.headers(hub.token()), McpHttp.initialize("2025-06-18"))
                        .status());
        // one edge, one count: five free failures on /mcp leave none for /api/, whose next ten wait 100, 200, …,
        // 1000 ms (5.5 s); with a count of its own /api/ would answer five at once and wait 1.5 s in all
        for (int i = 0; i < 5; i++) {
            RawHttp.Response r = RawHttp.send(
                    hub.port(),
                    "POST",
                    "/mcp",
                    McpHttp.with(McpHttp.headers(hub.token()), "Authorization", "Bearer wrong-" + i),
                    McpHttp.initialize("2025-06-18"));
            assertEquals(401, r.status());
        }
        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            assertEquals(
                    401,
                    http.get("/api/whoami", Map.of("Authorization", "Bearer wrong-api-" + i))
                            .statusCode());
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 4_000, "10 wrong tokens on /api/ after 5 on /mcp answered in " + millis + " ms");
    }

    @Test
    void aWrongTokenOrForgedCookieIs401() {
        assertEquals(
                401,
                http.get("/api/whoami", Map.of("Authorization", "Bearer wrong")).statusCode());
        assertEquals(
                401,
                http.get("/api/whoami", Map.of("Cookie", "tandem_dashboard=forged"))
                        .statusCode());
    }

    @Test
    void loginCodeWorksOnceThenAnswers401() {
        String code = http.loginCode();
        HttpResponse<String> first = http.get("/dashboard/login?code=" + code, Map.of());
        assertEquals(303, first.statusCode());
        assertEquals("/dashboard", first.headers().firstValue("location").orElseThrow());
        HttpResponse<String> again = http.get("/dashboard/login?code=" + code, Map.of());
        assertEquals(401, again.statusCode());
        assertTrue(again.headers().firstValue("set-cookie").isEmpty());
        assertEquals(401, http.get("/dashboard/login?code=madeup", Map.of()).statusCode());
        assertEquals(401, http.get("/dashboard/login", Map.of()).statusCode());
    }

    @Test
    void loginCookieIsHttpOnlyStrictSiteWideAndLastsTwelveHours() {
        HttpResponse<String> r = http.get("/dashboard/login?code=" + http.loginCode(), Map.of());
        String cookie = r.headers().firstValue("set-cookie").orElseThrow();
        // a random id, its end and their signature (DashboardRestartTest)
        assertTrue(cookie.matches("tandem_dashboard=[A-Za-z0-9_-]{22}\\.[0-9]+\\.[A-Za-z0-9_-]{43};.*"), cookie);
        assertTrue(cookie.contains("; HttpOnly"), cookie);
        assertTrue(cookie.contains("; SameSite=Strict"), cookie);
        assertTrue(cookie.contains("; Path=/"), cookie);
        assertTrue(cookie.contains("; Max-Age=43200"), cookie);
    }

    @Test
    void cookieGrantsThePageAndTheApi() {
        String cookie = http.login();
        HttpResponse<String> page = http.get("/dashboard", Map.of("Cookie", cookie));
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("content-type").orElseThrow().startsWith("text/html"));
        // the real page from the jar, and every asset it links
        for (String asset : List.of("app.js", "app.css", "favicon.svg")) {
            assertTrue(page.body().contains("/dashboard/assets/" + asset), asset);
        }
        assertTrue(page.body().contains("data-testid=\"memory-search-input\""), page.body());
        Map<String, String> types =
                Map.of("app.js", "text/javascript", "app.css", "text/css", "favicon.svg", "image/svg+xml");
        for (Map.Entry<String, String> t : types.entrySet()) {
            HttpResponse<String> a = http.get("/dashboard/assets/" + t.getKey(), Map.of("Cookie", cookie));
            assertEquals(200, a.statusCode(), t.getKey());
            assertTrue(a.headers().firstValue("content-type").orElse("").startsWith(t.getValue()), t::toString);
            assertTrue(!a.body().isBlank(), t.getKey());
        }
        HttpResponse<String> who = http.get("/api/whoami", Map.of("Cookie", cookie));
        assertEquals(200, who.statusCode());
        assertEquals(HubVersion.get(), DashboardHttp.json(who).path("hub").asString());
        assertEquals("box", DashboardHttp.json(who).path("host").asString());
    }

    @Test
    void bearerTokenGrantsTheApiWithoutACookie() {
        assertEquals(200, http.getWithToken("/api/whoami").statusCode());
        assertEquals(200, http.getWithToken("/api/overview").statusCode());
    }

    @Test
    void unknownAssetIs404AndAPathOutsideTheAssetsIsNeverServed() {
        String cookie = http.login();
        assertEquals(
                404,
                http.get("/dashboard/assets/nope.js", Map.of("Cookie", cookie)).statusCode());
        assertEquals(
                404,
                http.get("/dashboard/assets/..%2F..%2Ftandem-logging.properties", Map.of("Cookie", cookie))
                        .statusCode());
    }

    @Test
    void deleteWithTheCookieNeedsTheHubsOwnOrigin() {
        McpSyncClient claude = hub.client("claude-code");
        String id = (String) MemoryToolsTest.ok(
                        MemoryToolsTest.call(claude, "memory_store", Map.of("content", "the deploy key is in vault")))
                .get("id");
        String cookie = http.login();
        String path = "/api/memories/" + id;
        assertEquals(403, http.send("DELETE", path, Map.of("Cookie", cookie)).statusCode());
        assertEquals(
                403,
                http.send("DELETE", path, Map.of("Cookie", cookie, "Origin", "http://evil.example"))
                        .statusCode());
        assertEquals(
                403,
                http.send("DELETE", path, Map.of("Cookie", cookie, "Origin", "http://127.0.0.1:1"))
                        .statusCode());
        assertTrue(MemoryToolsTest.ok(MemoryToolsTest.call(claude, "memory_retrieve", Map.of("id", id)))
                .containsKey("content"));

        HttpResponse<String> deleted = http.send("DELETE", path, Map.of("Cookie", cookie, "Origin", ownOrigin()));
        assertEquals(200, deleted.statusCode(), deleted.body());
        assertEquals(id, DashboardHttp.json(deleted).path("deleted").asString());
        assertTrue(MemoryToolsTest.call(claude, "memory_retrieve", Map.of("id", id))
                .isError());
        assertEquals(
                404,
                http.send("DELETE", path, Map.of("Cookie", cookie, "Origin", ownOrigin()))
                        .statusCode());
    }

    @Test
    void localhostIsTheHubsOwnOriginToo() {
        String cookie = http.login();
        HttpResponse<String> r =
                http.send("POST", "/api/logout", Map.of("Cookie", cookie, "Origin", "http://localhost:" + hub.port()));
        assertEquals(200, r.statusCode());
    }

    @Test
    void logoutEndsTheSession() {
        String cookie = http.login();
        assertEquals(
                200,
                http.send("POST", "/api/logout", Map.of("Cookie", cookie, "Origin", ownOrigin()))
                        .statusCode());
        assertEquals(401, http.get("/api/whoami", Map.of("Cookie", cookie)).statusCode());
    }

    @Test
    void loginCodesNeedTheTokenNotTheCookie() {
        String cookie = http.login();
        assertEquals(
                401,
                http.send("POST", "/api/login-codes", Map.of("Cookie", cookie, "Origin", ownOrigin()))
                        .statusCode());
    }

    @Test
    void aHostThatIsNotLoopbackIs421EvenWithTheToken() {
        for (String path : List.of("/dashboard", "/api/whoami", "/dashboard/login?code=x")) {
            RawHttp.Response r = RawHttp.send(
                    hub.port(),
                    "GET",
                    path,
                    Map.of("Host", "evil.example:" + hub.port(), "Authorization", "Bearer " + hub.token()),
                    null);
            assertEquals(421, r.status(), path);
        }
    }

    @Test
    void everyAnswerCarriesTheSecurityHeadersAndHtmlTheCsp() {
        String cookie = http.login();
        for (HttpResponse<String> r : List.of(
                http.get("/dashboard", Map.of("Cookie", cookie)),
                http.get("/dashboard", Map.of()),
                http.get("/api/whoami", Map.of("Cookie", cookie)),
                http.get("/api/whoami", Map.of()))) {
            String where = r.request().uri() + " " + r.statusCode();
            assertEquals("no-store", r.headers().firstValue("cache-control").orElse(""), where);
            assertEquals(
                    "nosniff", r.headers().firstValue("x-content-type-options").orElse(""), where);
            assertEquals(
                    "same-origin", r.headers().firstValue("referrer-policy").orElse(""), where);
            if (r.headers().firstValue("content-type").orElse("").startsWith("text/html")) {
                assertEquals(
                        CSP, r.headers().firstValue("content-security-policy").orElse(""), where);
            }
        }
    }
}
