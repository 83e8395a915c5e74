package dev.tandem.hub.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.hub.TestHub;
import dev.tandem.hub.mcp.Capability;
import dev.tandem.hub.mcp.JobsCapability;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/jobs}: the token or a dashboard session (with the hub's own Origin for changes), and the same
 * refusals as the tools, made by the service itself (the API has no schema in front of it).
 */
class JobsApiTest {
    @TempDir
    Path dir;

    private TestHub hub(String toml) {
        Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "HOME", dir.toString());
        return TestHub.startWith(
                dir, "[memory]\nhost = \"box\"\n" + toml, cfg -> List.<Capability>of(JobsCapability.create(cfg, env)));
    }

    private static HttpResponse<String> send(
            TestHub hub, String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.baseUrl() + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> bearer(TestHub hub) {
        return Map.of("Authorization", "Bearer " + hub.token(), "Content-Type", "application/json");
    }

    @Test
    void needsTheToken() {
        try (TestHub hub = hub("")) {
            assertEquals(401, send(hub, "GET", "/api/jobs", null, Map.of()).statusCode());
            assertEquals(
                    401,
                    send(hub, "GET", "/api/jobs", null, Map.of("Authorization", "Bearer wrong"))
                            .statusCode());
            assertEquals(
                    401,
                    send(hub, "POST", "/api/jobs", "{\"prompt\":\"x\"}", Map.of())
                            .statusCode());
            HttpResponse<String> ok = send(hub, "GET", "/api/jobs", null, bearer(hub));
            assertEquals(200, ok.statusCode());
            assertEquals("{\"jobs\":[]}", ok.body());
        }
    }

    @Test
    void anEnginesCredentialCannotApproveOnlyThePersonsTokenReachesTheApproval() {
        try (TestHub hub = hub("")) {
            String body = "{\"request_id\":\"1\",\"approve\":true}";
            for (String engine : List.of("codex", "claude")) {
                Map<String, String> headers =
                        Map.of("Authorization", "Bearer " + hub.token(engine), "Content-Type", "application/json");
                assertEquals(
                        401,
                        send(hub, "POST", "/api/jobs/nosuchjob/approve", body, headers)
                                .statusCode(),
                        engine);
            }
            // the person's token gets past the guard to the service, which knows no such job
            assertEquals(
                    404,
                    send(hub, "POST", "/api/jobs/nosuchjob/approve", body, bearer(hub))
                            .statusCode());
        }
    }

    @Test
    void refusesWhatTheToolSchemaWouldHideWithoutTheSchema() {
        try (TestHub hub = hub("")) {
            HttpResponse<String> danger = send(
                    hub, "POST", "/api/jobs", "{\"prompt\":\"x\",\"sandbox\":\"danger-full-access\"}", bearer(hub));
            assertEquals(400, danger.statusCode());
            assertTrue(danger.body().contains("allow_danger_full_access = false"), danger.body());
            HttpResponse<String> auto = send(
                    hub,
                    "POST",
                    "/api/jobs",
                    "{\"prompt\":\"x\",\"engine\":\"claude\",\"approval\":\"auto\"}",
                    bearer(hub));
            assertEquals(400, auto.statusCode());
            assertTrue(auto.body().contains("allow_auto_approve = false"), auto.body());
            HttpResponse<String> outside =
                    send(hub, "POST", "/api/jobs", "{\"prompt\":\"x\",\"dir\":\"/etc\"}", bearer(hub));
            assertEquals(400, outside.statusCode());
            assertTrue(outside.body().contains("outside the roots"), outside.body());
            assertEquals(
                    400, send(hub, "POST", "/api/jobs", "not json", bearer(hub)).statusCode());
            assertEquals(
                    400,
                    send(hub, "POST", "/api/jobs", "{\"prompt\":\"x\",\"engine\":\"bash\"}", bearer(hub))
                            .statusCode());
            assertEquals(
                    "{\"jobs\":[]}",
                    send(hub, "GET", "/api/jobs", null, bearer(hub)).body());
        }
    }

    @Test
    void unknownJobsAre404AndAMissingEngineIs503() {
        try (TestHub hub = hub("")) {
            assertEquals(
                    404,
                    send(hub, "GET", "/api/jobs/nosuchjob", null, bearer(hub)).statusCode());
            assertEquals(
                    404,
                    send(hub, "POST", "/api/jobs/nosuchjob/kill", "{}", bearer(hub))
                            .statusCode());
            assertEquals(
                    404,
                    send(hub, "GET", "/api/jobs/nosuchjob/events?after=0&wait=5", null, bearer(hub))
                            .statusCode());
            HttpResponse<String> missing = send(hub, "POST", "/api/jobs", "{\"prompt\":\"x\"}", bearer(hub));
            assertEquals(503, missing.statusCode());
            assertTrue(missing.body().contains("[jobs] codex"), missing.body());
        }
    }

    @Test
    void aBrowserSessionChangesJobsOnlyFromTheHubsOwnPage() {
        try (TestHub hub = hub("");
                DashboardLogin login = new DashboardLogin(hub)) {
            String cookie = login.cookie();
            assertEquals(
                    200,
                    send(hub, "GET", "/api/jobs", null, Map.of("Cookie", cookie))
                            .statusCode());
            HttpResponse<String> forged = send(
                    hub,
                    "POST",
                    "/api/jobs",
                    "{\"prompt\":\"x\"}",
                    Map.of("Cookie", cookie, "Content-Type", "application/json"));
            assertEquals(403, forged.statusCode(), "no Origin: a request another site could make");
            HttpResponse<String> own = send(
                    hub,
                    "POST",
                    "/api/jobs/nosuchjob/kill",
                    "{}",
                    Map.of("Cookie", cookie, "Origin", hub.baseUrl(), "Content-Type", "application/json"));
            assertEquals(404, own.statusCode(), "from the hub's own page the request reaches the jobs");
        }
    }

    @Test
    void withTheDashboardOffTheJobsApiStillAnswersTheToken() {
        try (TestHub hub = hub("[dashboard]\nenabled = false\n")) {
            assertEquals(200, send(hub, "GET", "/api/jobs", null, bearer(hub)).statusCode());
            assertEquals(401, send(hub, "GET", "/api/jobs", null, Map.of()).statusCode());
            assertEquals(404, send(hub, "GET", "/api/whoami", null, bearer(hub)).statusCode());
            assertEquals(404, send(hub, "GET", "/dashboard", null, bearer(hub)).statusCode());
        }
    }
}
