package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.config.TokenFile;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sign-in across hub restarts, and the pages a browser meets before it is signed in. */
class DashboardRestartTest {
    @TempDir
    Path dir;

    private static int whoami(TestHub hub, String cookie) {
        try (DashboardHttp http = new DashboardHttp(hub)) {
            return http.get("/api/whoami", Map.of("Cookie", cookie)).statusCode();
        }
    }

    @Test
    void aSignedInBrowserStaysSignedInAfterARestart() {
        String cookie;
        try (TestHub hub = TestHub.start(dir);
                DashboardHttp http = new DashboardHttp(hub)) {
            cookie = http.login();
        }
        try (TestHub hub = TestHub.start(dir)) {
            assertEquals(200, whoami(hub, cookie));
        }
    }

    @Test
    void aLoggedOutCookieStaysRefusedAfterARestart() {
        String cookie;
        try (TestHub hub = TestHub.start(dir);
                DashboardHttp http = new DashboardHttp(hub)) {
            cookie = http.login();
            HttpResponse<String> out =
                    http.send("POST", "/api/logout", Map.of("Cookie", cookie, "Origin", hub.baseUrl()));
            assertEquals(200, out.statusCode(), out.body());
            assertEquals(401, whoami(hub, cookie));
        }
        try (TestHub hub = TestHub.start(dir)) {
            assertEquals(401, whoami(hub, cookie));
        }
    }

    @Test
    void rotatingTheTokenSignsEveryBrowserOut() {
        String cookie;
        Path tokenFile;
        try (TestHub hub = TestHub.start(dir);
                DashboardHttp http = new DashboardHttp(hub)) {
            cookie = http.login();
            tokenFile = hub.config().tokenFile();
        }
        new TokenFile(tokenFile).rotate();
        try (TestHub hub = TestHub.start(dir)) {
            assertEquals(401, whoami(hub, cookie));
        }
    }

    @Test
    void rotatingTheTokenWhileTheHubRunsSignsEveryBrowserOutAtOnce() {
        try (TestHub hub = TestHub.start(dir);
                DashboardHttp http = new DashboardHttp(hub)) {
            String cookie = http.login();
            assertEquals(200, whoami(hub, cookie));
            new TokenFile(hub.config().tokenFile()).rotate();
            assertEquals(401, whoami(hub, cookie));
        }
    }

    @Test
    void theCookieHoldsNeitherTheTokenNorAnythingOutsideItsSignedShape() throws Exception {
        try (TestHub hub = TestHub.start(dir);
                DashboardHttp http = new DashboardHttp(hub)) {
            String cookie = http.login();
            String value = cookie.substring(cookie.indexOf('=') + 1);
            assertFalse(value.contains(hub.token()));
            assertTrue(value.matches("[A-Za-z0-9_-]{22}\\.[0-9]+\\.[A-Za-z0-9_-]{43}"), value);
            Path key = hub.config().stateDir().resolve("dashboard-session.key");
            assertEquals(
                    "rw-------",
                    java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
            assertFalse(Files.readString(key).contains(hub.token()));
        }
    }

    @Test
    void theRootRedirectsToTheDashboard() {
        try (TestHub hub = TestHub.start(dir);
                DashboardHttp http = new DashboardHttp(hub)) {
            HttpResponse<String> r = http.get("/", Map.of());
            assertEquals(302, r.statusCode());
            assertEquals("/dashboard", r.headers().firstValue("location").orElseThrow());
        }
    }

    @Test
    void theSignInPageIsStyledAndSaysWhatToRun() {
        try (TestHub hub = TestHub.start(dir);
                DashboardHttp http = new DashboardHttp(hub)) {
            HttpResponse<String> page = http.get("/dashboard", Map.of());
            assertEquals(401, page.statusCode());
            assertTrue(page.body().contains("<link rel=\"stylesheet\" href=\"/dashboard/assets/app.css\">"));
            assertTrue(page.body().contains("tandem dashboard --open"), page.body());
            HttpResponse<String> css = http.get("/dashboard/assets/app.css", Map.of());
            assertEquals(200, css.statusCode());
            assertTrue(css.body().contains(".signin"), "the sign-in page's style is in app.css");
            assertEquals(
                    200, http.get("/dashboard/assets/favicon.svg", Map.of()).statusCode());
            // the script and the data stay behind the login
            assertEquals(401, http.get("/dashboard/assets/app.js", Map.of()).statusCode());
            assertEquals(401, http.get("/api/overview", Map.of()).statusCode());
        }
    }
}
