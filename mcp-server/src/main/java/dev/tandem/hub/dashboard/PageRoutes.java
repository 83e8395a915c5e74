package dev.tandem.hub.dashboard;

import dev.tandem.hub.http.UnauthorizedException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code GET /dashboard}, its assets, {@code GET /dashboard/login?code=…}, which sets the session cookie, and
 * {@code GET /}, which redirects to {@code /dashboard}.
 */
final class PageRoutes {
    static final String LOGIN_PATH = "/dashboard/login";
    static final String ASSETS = "/dashboard/assets/";

    private final DashboardSessions sessions;

    PageRoutes(DashboardSessions sessions) {
        this.sessions = sessions;
    }

    void register(HttpRouting.Builder r) {
        r.get("/", PageRoutes::home)
                .get("/dashboard", this::index)
                .get("/dashboard/", this::index)
                .get(LOGIN_PATH, this::login)
                .get(ASSETS + "{file}", this::asset);
    }

    private static void home(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.LOCATION, "/dashboard");
        res.status(Status.FOUND_302).send();
    }

    private void index(ServerRequest req, ServerResponse res) {
        send(res, "index.html");
    }

    private void asset(ServerRequest req, ServerResponse res) {
        send(res, req.path().pathParameters().get("file"));
    }

    private static void send(ServerResponse res, String name) {
        Optional<Assets.Asset> asset = Assets.find(name);
        if (asset.isEmpty()) {
            res.status(Status.NOT_FOUND_404);
            res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            res.send("not found: " + name);
            return;
        }
        if (asset.get().contentType().startsWith("text/html")) {
            Replies.html(res, Status.OK_200, new String(asset.get().bytes(), StandardCharsets.UTF_8));
            return;
        }
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, asset.get().contentType());
        res.send(asset.get().bytes());
    }

    private void login(ServerRequest req, ServerResponse res) {
        Optional<String> code = req.query().first("code").asOptional();
        String host = req.headers().first(HeaderNames.HOST).orElse("");
        Optional<String> session = code.flatMap(c -> sessions.redeem(c, host));
        if (session.isEmpty()) {
            throw new UnauthorizedException("This login link is invalid, used or expired.");
        }
        res.header(
                HeaderNames.SET_COOKIE,
                DashboardSessions.COOKIE + "=" + session.get() + "; HttpOnly; SameSite=Strict; Path=/; Max-Age="
                        + sessions.sessionTtl().toSeconds());
        res.header(HeaderNames.LOCATION, "/dashboard");
        res.status(Status.SEE_OTHER_303).send();
    }
}
