package dev.tandem.hub.http;

import dev.tandem.core.fleet.HostKey;
import dev.tandem.hub.auth.Credential;
import dev.tandem.hub.auth.Credentials;
import dev.tandem.hub.auth.FailureThrottle;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The one gate of every request: starts its read deadline, then for a path in a {@link GuardedArea} checks the
 * {@code Host} (421) and {@code Origin} (403) against loopback, then a bearer credential (the person's token anywhere, an engine's own only on {@code /mcp}; the
 * {@link Credential} is registered in the request's context) or the area's session (401),
 * then, for a state-changing request let in by a session, the hub's own {@code Origin} (403). Wrong credentials are
 * slowed down after a few from one address, wherever they are tried.
 *
 * <p>Nothing of the {@code Authorization} header is ever logged or echoed.
 */
final class HttpEdge implements Filter {
    private static final Logger LOG = Logger.getLogger(HttpEdge.class.getName());
    private static final Set<Method> STATE_CHANGING = Set.of(Method.POST, Method.PUT, Method.DELETE, Method.PATCH);

    private final LoopbackGuard guard;
    private final Credentials credentials;
    private final java.util.function.Predicate<String> engineAreas;
    private final java.util.function.Predicate<String> hostAreas;
    private final java.util.function.Supplier<String> localHost;
    private final FailureThrottle throttle;
    private final ReadDeadlines deadlines;
    private final List<GuardedArea> areas;
    private final OpenStreams streams;

    HttpEdge(
            LoopbackGuard guard,
            Credentials credentials,
            java.util.function.Predicate<String> engineAreas,
            java.util.function.Predicate<String> hostAreas,
            java.util.function.Supplier<String> localHost,
            FailureThrottle throttle,
            ReadDeadlines deadlines,
            List<GuardedArea> areas) {
        this.guard = guard;
        this.credentials = credentials;
        this.engineAreas = engineAreas;
        this.hostAreas = hostAreas;
        this.localHost = localHost;
        this.throttle = throttle;
        this.deadlines = deadlines;
        this.areas = List.copyOf(areas);
        this.streams = new OpenStreams(credentials.hosts());
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        endReadDeadline(req);
        String path = req.path().path();
        Optional<GuardedArea> area =
                areas.stream().filter(a -> a.covers().test(path)).findFirst();
        if (area.isEmpty()) {
            chain.proceed(); // /health, and 404 for the rest
            return;
        }
        GuardedArea a = area.get();
        a.headers().forEach((name, value) -> res.header(HeaderNames.create(name), value));
        if (!guard.hostAllowed(req.headers().first(HeaderNames.HOST))) {
            HttpReplies.json(res, Status.MISDIRECTED_REQUEST_421, "{\"error\":\"Host is not a loopback name\"}");
            return;
        }
        Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
        if (!guard.originAllowed(origin)) {
            HttpReplies.json(res, Status.FORBIDDEN_403, "{\"error\":\"Origin is not allowed\"}");
            return;
        }
        if (a.open().contains(path)) {
            chain.proceed();
            return;
        }
        String source = sourceAddress(req);
        if (presentsCredential(a, req) && throttle.blocked(source)) {
            // checked before any credential: a guesser's next try is not even looked at, the right key included
            res.header(HeaderNames.RETRY_AFTER, "60");
            HttpReplies.json(
                    res,
                    Status.TOO_MANY_REQUESTS_429,
                    "{\"error\":\"too many failed authentications from this address: try again in a minute\"}");
            return;
        }
        Optional<Credential> credential = credentials
                .identify(req.headers().first(HeaderNames.AUTHORIZATION), source)
                // an engine's credential opens /mcp only, an enrolled host's /mcp and the fleet API; the dashboard
                // and the rest of its API take the person's token
                .filter(c -> c.admin() || (c.host().isPresent() ? hostAreas.test(path) : engineAreas.test(path)));
        if (credential.isPresent()) {
            if (!credential.get().admin() && credentials.hosts().frozen()) {
                frozen(res);
                return;
            }
            req.context().register(credential.get());
            req.context().register(new RequestHost(credential.get().host().orElseGet(localHost)));
            if (!credential.get().admin() && credentials.hosts().watchesStreams()) {
                // a stream of this caller is ended when a freeze or a revocation comes after it began
                long accepted = System.nanoTime();
                Optional<String> keyId = credential.get().host().flatMap(h -> keyIdOf(req));
                res.streamFilter(out -> streams.watch(out, credential.get(), keyId, accepted));
            }
            chain.proceed();
            return;
        }
        if (!a.session().test(req)) {
            refuse(a, req, res, Optional.empty());
            return;
        }
        // a session (the dashboard's) is the person's
        req.context().register(new RequestHost(localHost.get()));
        if (a.sameOriginWrites()
                && STATE_CHANGING.contains(req.prologue().method())
                && !guard.ownOrigin(origin, req.localPeer().port())) {
            HttpReplies.json(
                    res, Status.FORBIDDEN_403, "{\"error\":\"a state-changing call needs the hub's own Origin\"}");
            return;
        }
        chain.proceed();
    }

    /** Returns the id of the enrolled host's key the request's bearer credential is (never its secret). */
    private static Optional<String> keyIdOf(ServerRequest req) {
        return req.headers()
                .first(HeaderNames.AUTHORIZATION)
                .filter(v -> v.length() > 7)
                .flatMap(v -> HostKey.parse(v.substring(7)))
                .map(HostKey.Presented::keyId);
    }

    /** Answers a request refused because the fleet is frozen: 503, and no credential is checked further. */
    private static void frozen(ServerResponse res) {
        HttpReplies.json(
                res,
                Status.SERVICE_UNAVAILABLE_503,
                "{\"error\":\"frozen\",\"message\":\"the fleet is frozen: every request but the person's own is"
                        + " refused until 'tandem fleet thaw'\"}");
    }

    /**
     * Answers a refused request with the area's 401. A wrong credential (a token, a session cookie, a login code
     * or proof) waits first, the longer the more failed from the same address in a minute, whatever the path: no
     * path is a faster way to guess the token than another. A request that brought none is answered at once.
     */
    void refuse(GuardedArea area, ServerRequest req, ServerResponse res, Optional<String> why) {
        if (why.isPresent() || presentsCredential(area, req)) {
            String address = sourceAddress(req);
            Duration delay = throttle.recordFailure(address);
            if (!delay.isZero()) {
                LOG.fine(() -> "slowing repeated authentication failures from " + address);
                sleep(delay);
            }
        }
        area.unauthorized().write(req, res, why);
    }

    /**
     * Returns whether {@code req} brings a credential of {@code area}: a bearer token, a cookie, or one of the area's
     * own credential headers (the usage key), so a wrong one of any kind counts, and is blocked, alike.
     */
    private static boolean presentsCredential(GuardedArea area, ServerRequest req) {
        return req.headers().contains(HeaderNames.AUTHORIZATION)
                || req.headers().contains(HeaderNames.COOKIE)
                || area.credentialHeaders().stream().anyMatch(h -> req.headers().contains(HeaderNames.create(h)));
    }

    /** Answers an {@link UnauthorizedException} thrown by the handler of an open path. */
    void refuse(ServerRequest req, ServerResponse res, UnauthorizedException e) {
        String path = req.path().path();
        areas.stream()
                .filter(a -> a.covers().test(path))
                .findFirst()
                .ifPresentOrElse(
                        a -> refuse(a, req, res, Optional.ofNullable(e.getMessage())),
                        () -> HttpReplies.json(res, Status.UNAUTHORIZED_401, "{\"error\":\"unauthorized\"}"));
    }

    /**
     * The headers are in: a request without a body is read in full now; one with a body when its stream ends.
     * The stream filter must be set before anything touches {@code req.content()}, which fixes the stream.
     */
    private void endReadDeadline(RoutingRequest req) {
        boolean body =
                req.headers().contentLength().orElse(0) > 0 || req.headers().contains(HeaderNames.TRANSFER_ENCODING);
        Thread connection = Thread.currentThread();
        if (body) {
            req.streamFilter(in -> deadlines.untilEnd(in, connection));
        } else {
            deadlines.received(connection);
        }
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Returns the literal address a request came from. Helidon's {@code remotePeer().host()} is a host name on a TLS
     * connection ({@code localhost} for 127.0.0.1, else whatever reverse DNS says): a key bound to a name a PTR
     * record can claim would bind to nothing, and the throttle would count one machine under two names.
     */
    static String sourceAddress(ServerRequest req) {
        return req.remotePeer().address() instanceof java.net.InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress()
                : req.remotePeer().host();
    }
}
