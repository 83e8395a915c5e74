package dev.tandem.hub.dashboard;

import dev.tandem.core.json.Json;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** Writes the dashboard's answers: JSON, and HTML under a strict Content-Security-Policy. */
final class Replies {
    /** No inline script or style, nothing from another origin, no framing. */
    static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            + "connect-src 'self'; frame-ancestors 'none'";

    private static final HeaderName CONTENT_SECURITY_POLICY = HeaderNames.create("Content-Security-Policy");
    private static final JsonMapper JSON = Json.mapper();

    private Replies() {}

    static void json(ServerResponse res, Status status, Object value) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(JSON.writeValueAsBytes(value));
    }

    static void ok(ServerResponse res, Object value) {
        json(res, Status.OK_200, value);
    }

    static void error(ServerResponse res, Status status, String message) {
        json(res, status, Map.of("error", message));
    }

    static void html(ServerResponse res, Status status, String html) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
        res.header(CONTENT_SECURITY_POLICY, CSP);
        res.send(html.getBytes(StandardCharsets.UTF_8));
    }

    /** A small page that says what to do, for 401s and failed logins. */
    static void unauthorizedPage(ServerResponse res, String why) {
        html(
                res,
                Status.UNAUTHORIZED_401,
                "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Tandem dashboard</title>"
                        + "</head><body><h1>Tandem dashboard: not logged in</h1><p>" + why + "</p>"
                        + "<p>Run <code>tandem dashboard</code> on this machine and open the one-time link it "
                        + "prints (it works once, within a minute).</p></body></html>");
    }
}
