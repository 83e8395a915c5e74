package dev.tandem.hub.dashboard;

import dev.tandem.hub.HubVersion;
import dev.tandem.hub.auth.BearerAuth;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code POST /api/login-codes} (bearer token only), {@code POST /api/logout} and {@code GET /api/whoami}. */
final class SessionApi {
    private final DashboardSessions sessions;
    private final BearerAuth bearer;
    private final String host;

    SessionApi(DashboardSessions sessions, BearerAuth bearer, String host) {
        this.sessions = sessions;
        this.bearer = bearer;
        this.host = host;
    }

    void register(HttpRouting.Builder r) {
        r.post("/api/login-codes", this::loginCode)
                .post("/api/logout", this::logout)
                .get("/api/whoami", this::whoami);
    }

    private void loginCode(ServerRequest req, ServerResponse res) {
        // a browser session must not mint codes for other browsers: only the token holder (the CLI) may
        if (!bearer.accepts(req.headers().first(HeaderNames.AUTHORIZATION))) {
            Replies.error(res, Status.UNAUTHORIZED_401, "login codes need 'Authorization: Bearer <hub token>'");
            return;
        }
        String code;
        try {
            code = sessions.newLoginCode();
        } catch (IllegalStateException e) {
            Replies.error(res, Status.TOO_MANY_REQUESTS_429, e.getMessage());
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("code", code);
        out.put("path", DashboardFilter.LOGIN_PATH + "?code=" + code);
        out.put("expiresInSeconds", DashboardSessions.CODE_TTL.toSeconds());
        Replies.ok(res, out);
    }

    private void logout(ServerRequest req, ServerResponse res) {
        DashboardFilter.sessionOf(req).ifPresent(sessions::end);
        res.header(
                HeaderNames.SET_COOKIE, DashboardSessions.COOKIE + "=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
        Replies.ok(res, Map.of("loggedOut", true));
    }

    private void whoami(ServerRequest req, ServerResponse res) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("hub", HubVersion.get());
        out.put("host", host);
        Replies.ok(res, out);
    }
}
