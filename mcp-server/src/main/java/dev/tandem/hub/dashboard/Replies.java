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

    /**
     * The sign-in page, for 401s and failed logins: says why and what to do, styled by the dashboard's own
     * stylesheet (served without a login, like the icon; neither holds data).
     */
    static void unauthorizedPage(ServerResponse res, String why) {
        html(res, Status.UNAUTHORIZED_401, """
                <!doctype html>
                <html lang="en">
                <head>
                  <meta charset="utf-8">
                  <meta name="viewport" content="width=device-width, initial-scale=1">
                  <meta name="referrer" content="no-referrer">
                  <title>Sign in · Tandem hub</title>
                  <link rel="icon" href="/dashboard/assets/favicon.svg" type="image/svg+xml">
                  <link rel="stylesheet" href="/dashboard/assets/app.css">
                </head>
                <body class="signin-page">
                  <main class="signin" data-testid="signin">
                    <div class="brand">
                      <img src="/dashboard/assets/favicon.svg" alt="" width="36" height="36">
                      <h1>Tandem hub</h1>
                    </div>
                    <h2>Sign in to the dashboard</h2>
                    <p class="why" data-testid="signin-reason">%s</p>
                    <ol>
                      <li>On this machine, run <code>tandem dashboard --open</code>.</li>
                      <li>It opens (or prints) a one-time link: it works once, within a minute, in the browser
                        that opens it.</li>
                    </ol>
                    <p class="hint">You stay signed in for the session lifetime (<code>[dashboard] session_hours</code>,
                      12 hours by default), across hub restarts, until you log out or the hub token is rotated.</p>
                  </main>
                </body>
                </html>
                """.formatted(escape(why)));
    }

    static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
