package dev.tandem.hub.dashboard;

import dev.tandem.hub.HubVersion;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code POST /api/logout} and {@code GET /api/whoami}. */
final class SessionApi {
    private final DashboardSessions sessions;
    private final String host;

    SessionApi(DashboardSessions sessions, String host) {
        this.sessions = sessions;
        this.host = host;
    }

    void register(HttpRouting.Builder r) {
        r.post("/api/logout", this::logout).get("/api/whoami", this::whoami);
    }

    private void logout(ServerRequest req, ServerResponse res) {
        Dashboard.sessionOf(req).ifPresent(sessions::end);
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
