package dev.tandem.hub.dashboard;

import dev.tandem.core.memory.MemoryException;
import dev.tandem.core.store.Store;
import dev.tandem.core.store.StoreException;
import dev.tandem.hub.auth.BearerAuth;
import dev.tandem.hub.auth.TokenProof;
import dev.tandem.hub.http.GuardedArea;
import dev.tandem.hub.http.HubFeature;
import dev.tandem.hub.jobs.JobException;
import dev.tandem.hub.jobs.JobService;
import dev.tandem.hub.memory.MemoryService;
import dev.tandem.hub.portfolio.Portfolio;
import dev.tandem.hub.portfolio.PortfolioException;
import dev.tandem.hub.telemetry.TelemetryRecorder;
import dev.tandem.hub.usage.Blocks;
import dev.tandem.hub.usage.Ledger;
import dev.tandem.hub.usage.UsageException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The dashboard on the hub's web server: the page and its assets under {@code /dashboard}, the JSON API under
 * {@code /api/}. The hub's edge guards both ({@link #area}): the Host and Origin checks, then a session cookie or
 * the bearer token, and for state-changing calls made with the cookie an {@code Origin} equal to the hub's own.
 * Every answer gets {@code no-store}, {@code nosniff} and {@code Referrer-Policy: same-origin} (no referrer ever
 * leaves for another site, and browsers send the page's real {@code Origin} on its own POST and DELETE; under
 * {@code no-referrer} the Fetch spec has them send {@code Origin: null}, which the Origin check refuses).
 */
public final class Dashboard implements HubFeature {
    private static final Logger LOG = Logger.getLogger(Dashboard.class.getName());
    /** The request context's mark of a request let in by the dashboard cookie. */
    private static final String PERSON = "tandem.dashboard.person";

    private static final String API_UNAUTHORIZED =
            "log in with the link 'tandem dashboard' prints, or send 'Authorization: Bearer <hub token>'";

    private static final Map<String, String> HEADERS =
            Map.of("Cache-Control", "no-store", "X-Content-Type-Options", "nosniff", "Referrer-Policy", "same-origin");

    private final DashboardSessions sessions;
    private final PageRoutes pages;
    private final LoginApi login;
    private final SessionApi session;
    private final TelemetryApi telemetry;
    private final MemoryApi memories;
    private final InfoApi info;
    private final FleetAdminApi fleet;
    private final UsageApi usage;
    private final HostsApi hosts;
    private final Optional<JobsApi> jobs;

    /**
     * What the dashboard reads and how it authenticates.
     *
     * @param boundHost the address the hub binds (for the Host check)
     * @param token the hub's bearer token as the token file holds it now
     * @param host this machine's host name, as the memory store records it
     * @param store the store: telemetry and the command log
     * @param recorder the recorder, absent when {@code [telemetry] enabled = false}
     * @param memories the memory store, absent when the hub runs without it
     * @param portfolio the context portfolio
     * @param checkSyncFile where the sync tool leaves its last check-sync result
     * @param usage the usage ledger
     * @param jobs the background jobs, absent when the hub runs without them
     */
    public record Sources(
            String boundHost,
            Supplier<Optional<String>> token,
            String host,
            Store store,
            Optional<TelemetryRecorder> recorder,
            Optional<MemoryService> memories,
            Portfolio portfolio,
            Path checkSyncFile,
            Ledger usage,
            Optional<JobService> jobs) {
        @Override
        public String toString() {
            return "Sources[boundHost=" + boundHost + "]"; // never print the token
        }
    }

    public Dashboard(Sources sources, DashboardSessions sessions, Clock clock) {
        this.sessions = sessions;
        this.pages = new PageRoutes(sessions);
        this.login = new LoginApi(sessions, new BearerAuth(sources.token()), new TokenProof(sources.token()), clock);
        this.session = new SessionApi(sessions, sources.host());
        this.telemetry = new TelemetryApi(sources.store(), sources.recorder(), clock, sources.jobs());
        this.memories = new MemoryApi(sources.memories());
        this.info = new InfoApi(sources.portfolio(), sources.checkSyncFile());
        this.fleet = new FleetAdminApi(sources.store().fleet(), sources.host());
        this.usage = new UsageApi(
                sources.usage(), new Blocks(sources.usage(), sources.store().usage(), clock), clock, sources.jobs());
        this.hosts = new HostsApi(sources.store(), sources.host(), sources.usage(), sources.jobs(), clock);
        this.jobs = sources.jobs()
                .map(j -> new JobsApi(j, new BearerAuth(sources.token()), clock, Optional.of(sources.usage())));
    }

    /**
     * Returns the jobs API alone, for a hub whose dashboard is turned off: {@code tandem jobs} still works with the
     * bearer token (there is no login, so no session), while no page, login or other API is served.
     */
    public static HubFeature jobsOnly(JobService jobs, Ledger usage, Supplier<Optional<String>> token, Clock clock) {
        JobsApi api = new JobsApi(jobs, new BearerAuth(token), clock, Optional.of(usage));
        return new HubFeature() {
            @Override
            public GuardedArea area() {
                return new GuardedArea(JobsApi::covers, Set.of(), req -> false, true, HEADERS, Dashboard::unauthorized);
            }

            @Override
            public void routes(HttpRouting.Builder r) {
                api.register(r);
                r.error(JobException.class, (req, res, e) -> JobsApi.refused(res, e));
                r.error(
                        BadRequestException.class,
                        (req, res, e) -> Replies.error(res, Status.BAD_REQUEST_400, e.getMessage()));
                r.error(StoreException.class, (req, res, e) -> failed(res, e));
            }
        };
    }

    /** Returns whether the path belongs to the dashboard ({@code /} only redirects to it). */
    static boolean covers(String path) {
        return path.equals("/")
                || path.equals("/dashboard")
                || path.startsWith("/dashboard/")
                || path.startsWith("/api/");
    }

    /** Returns the session id of the dashboard cookie, if sent. */
    static Optional<String> sessionOf(ServerRequest req) {
        return req.headers().cookies().first(DashboardSessions.COOKIE).asOptional();
    }

    /**
     * Whether the request carries a live dashboard session; the edge asks only when the bearer token was not
     * accepted. A request let in so is marked as the person's ({@link #byPerson}).
     */
    private boolean personSession(ServerRequest req) {
        boolean valid = sessionOf(req).map(sessions::valid).orElse(false);
        if (valid) {
            req.context().register(PERSON, Boolean.TRUE);
        }
        return valid;
    }

    /**
     * Returns whether the request came with the dashboard cookie, i.e. from the person's browser, not with the bearer
     * token, which the agents hold too: answers that name the person's folders and sessions are for the former.
     */
    static boolean byPerson(ServerRequest req) {
        return req.context().get(PERSON, Boolean.class).orElse(false);
    }

    @Override
    public GuardedArea area() {
        return new GuardedArea(
                Dashboard::covers,
                // each checks its own credential: a one-time code, a token proof (or the token); the redirect from
                // / and the sign-in page's style and icon (static files, no data) need none
                Set.of(
                        PageRoutes.LOGIN_PATH,
                        LoginApi.PROOF_PATH,
                        LoginApi.CODES_PATH,
                        "/",
                        PageRoutes.ASSETS + "app.css",
                        PageRoutes.ASSETS + "favicon.svg"),
                this::personSession,
                true,
                HEADERS,
                Dashboard::unauthorized);
    }

    private static void unauthorized(ServerRequest req, ServerResponse res, Optional<String> why) {
        if (req.path().path().startsWith("/api/")) {
            Replies.json(
                    res,
                    Status.UNAUTHORIZED_401,
                    Map.of("error", "unauthorized", "message", why.orElse(API_UNAUTHORIZED)));
        } else {
            Replies.unauthorizedPage(res, why.orElse("This page needs a dashboard login."));
        }
    }

    @Override
    public void routes(HttpRouting.Builder r) {
        pages.register(r);
        login.register(r);
        session.register(r);
        telemetry.register(r);
        memories.register(r);
        info.register(r);
        fleet.register(r);
        usage.register(r);
        hosts.register(r);
        jobs.ifPresent(j -> j.register(r));
        r.error(JobException.class, (req, res, e) -> JobsApi.refused(res, e));
        r.error(BadRequestException.class, (req, res, e) -> Replies.error(res, Status.BAD_REQUEST_400, e.getMessage()));
        r.error(StoreException.class, (req, res, e) -> failed(res, e));
        r.error(MemoryException.class, (req, res, e) -> failed(res, e));
        r.error(PortfolioException.class, (req, res, e) -> failed(res, e));
        r.error(UsageException.class, (req, res, e) -> Replies.error(res, Status.BAD_REQUEST_400, e.getMessage()));
    }

    private static void failed(ServerResponse res, RuntimeException e) {
        LOG.log(Level.WARNING, "dashboard request failed: " + e.getMessage(), e);
        Replies.error(res, Status.INTERNAL_SERVER_ERROR_500, e.getMessage());
    }
}
