package dev.tandem.hub.http;

import dev.tandem.hub.auth.BearerAuth;
import dev.tandem.hub.auth.FailureThrottle;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * Checks every {@code /mcp} request: Host (421) and Origin (403) against loopback, then the bearer token (401).
 *
 * <p>Nothing of the Authorization header is ever logged or echoed.
 */
final class SecurityFilter implements Filter {
    private static final Logger LOG = Logger.getLogger(SecurityFilter.class.getName());
    private static final String UNAUTHORIZED_BODY = "{\"error\":\"unauthorized\",\"message\":"
            + "\"missing or wrong bearer token: send 'Authorization: Bearer <token>' with the token of the hub's "
            + "token file (print it with 'tandem token'; 'tandem sync push-runtime' sets up Codex and Claude Code)\"}";

    private final LoopbackGuard guard;
    private final BearerAuth auth;
    private final FailureThrottle throttle;

    SecurityFilter(LoopbackGuard guard, BearerAuth auth, FailureThrottle throttle) {
        this.guard = guard;
        this.auth = auth;
        this.throttle = throttle;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().path();
        if (!path.equals("/mcp") && !path.startsWith("/mcp/")) {
            chain.proceed();
            return;
        }
        if (!guard.hostAllowed(req.headers().first(HeaderNames.HOST))) {
            HttpReplies.json(res, Status.MISDIRECTED_REQUEST_421, "{\"error\":\"Host is not a loopback name\"}");
            return;
        }
        if (!guard.originAllowed(req.headers().first(HeaderNames.ORIGIN))) {
            HttpReplies.json(res, Status.FORBIDDEN_403, "{\"error\":\"Origin is not allowed\"}");
            return;
        }
        if (!auth.accepts(req.headers().first(HeaderNames.AUTHORIZATION))) {
            String address = req.remotePeer().host();
            Duration delay = throttle.recordFailure(address);
            if (!delay.isZero()) {
                LOG.fine(() -> "slowing repeated authentication failures from " + address);
                sleep(delay);
            }
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"tandem\"");
            HttpReplies.json(res, Status.UNAUTHORIZED_401, UNAUTHORIZED_BODY);
            return;
        }
        chain.proceed();
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
