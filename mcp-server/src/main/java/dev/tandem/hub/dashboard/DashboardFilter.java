package dev.tandem.hub.dashboard;

import dev.tandem.hub.auth.BearerAuth;
import dev.tandem.hub.auth.FailureThrottle;
import dev.tandem.hub.http.LoopbackGuard;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Guards {@code /dashboard} and {@code /api/}: Host (421), then a session cookie or the hub's bearer token (401),
 * then for state-changing calls made with the cookie an {@code Origin} equal to the hub's own (403). Every answer
 * gets {@code no-store}, {@code nosniff} and {@code Referrer-Policy: same-origin} (no referrer ever leaves for
 * another site, and browsers send the page's real {@code Origin} on its own POST and DELETE; under
 * {@code no-referrer} the Fetch spec has them send {@code Origin: null}, which the Origin check refuses).
 */
final class DashboardFilter implements Filter {
    static final String LOGIN_PATH = "/dashboard/login";
    private static final HeaderName REFERRER_POLICY = HeaderNames.create("Referrer-Policy");
    private static final HeaderName X_CONTENT_TYPE_OPTIONS = HeaderNames.create("X-Content-Type-Options");
    /** The request context's mark of a request made with the dashboard cookie. */
    private static final String PERSON = "tandem.dashboard.person";

    private static final Set<Method> STATE_CHANGING = Set.of(Method.POST, Method.PUT, Method.DELETE, Method.PATCH);

    private final LoopbackGuard guard;
    private final BearerAuth bearer;
    private final DashboardSessions sessions;
    private final FailureThrottle throttle;

    DashboardFilter(LoopbackGuard guard, BearerAuth bearer, DashboardSessions sessions, FailureThrottle throttle) {
        this.guard = guard;
        this.bearer = bearer;
        this.sessions = sessions;
        this.throttle = throttle;
    }

    /** Returns whether the path belongs to the dashboard. */
    static boolean covers(String path) {
        return path.equals("/dashboard") || path.startsWith("/dashboard/") || path.startsWith("/api/");
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().path();
        if (!covers(path)) {
            chain.proceed();
            return;
        }
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(X_CONTENT_TYPE_OPTIONS, "nosniff");
        res.header(REFERRER_POLICY, "same-origin");
        boolean api = path.startsWith("/api/");
        if (!guard.hostAllowed(req.headers().first(HeaderNames.HOST))) {
            Replies.error(res, Status.MISDIRECTED_REQUEST_421, "Host is not a loopback name");
            return;
        }
        Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
        if (!guard.originAllowed(origin)) {
            Replies.error(res, Status.FORBIDDEN_403, "Origin is not allowed");
            return;
        }
        if (path.equals(LOGIN_PATH)) {
            chain.proceed(); // the one-time code is the credential here
            return;
        }
        Optional<String> authorization = req.headers().first(HeaderNames.AUTHORIZATION);
        boolean byBearer = bearer.accepts(authorization);
        boolean byCookie = !byBearer && sessionOf(req).map(sessions::valid).orElse(false);
        if (!byBearer && !byCookie) {
            if (authorization.isPresent()) {
                // a wrong token, as on /mcp, is slowed after a few: /api/ must not be a faster way to guess it
                sleep(throttle.recordFailure(req.remotePeer().host()));
            }
            if (api) {
                Replies.json(
                        res,
                        Status.UNAUTHORIZED_401,
                        Map.of(
                                "error",
                                "unauthorized",
                                "message",
                                "log in with the link 'tandem dashboard' prints, or send 'Authorization: Bearer "
                                        + "<hub token>'"));
            } else {
                Replies.unauthorizedPage(res, "This page needs a dashboard login.");
            }
            return;
        }
        if (byCookie && api && STATE_CHANGING.contains(req.prologue().method()) && !ownOrigin(req, origin)) {
            Replies.error(res, Status.FORBIDDEN_403, "a state-changing call needs the hub's own Origin");
            return;
        }
        if (byCookie) {
            req.context().register(PERSON, Boolean.TRUE);
        }
        chain.proceed();
    }

    /**
     * Returns whether the request came with the dashboard cookie, i.e. from the person's browser, not with the bearer
     * token, which the agents hold too: answers that name the person's folders and sessions are for the former.
     */
    static boolean byPerson(ServerRequest req) {
        return req.context().get(PERSON, Boolean.class).orElse(false);
    }

    /** Returns the session id of the dashboard cookie, if sent. */
    static Optional<String> sessionOf(ServerRequest req) {
        return req.headers().cookies().first(DashboardSessions.COOKIE).asOptional();
    }

    private static boolean ownOrigin(RoutingRequest req, Optional<String> origin) {
        if (origin.isEmpty()) {
            return false;
        }
        int port = req.localPeer().port();
        String o = origin.get().strip();
        return o.equals("http://127.0.0.1:" + port) || o.equals("http://localhost:" + port);
    }

    private static void sleep(Duration delay) {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
