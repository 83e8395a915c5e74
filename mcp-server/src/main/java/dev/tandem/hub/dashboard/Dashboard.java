package dev.tandem.hub.dashboard;

import dev.tandem.core.memory.MemoryException;
import dev.tandem.core.store.Store;
import dev.tandem.core.store.StoreException;
import dev.tandem.hub.auth.BearerAuth;
import dev.tandem.hub.auth.FailureThrottle;
import dev.tandem.hub.http.LoopbackGuard;
import dev.tandem.hub.memory.MemoryService;
import dev.tandem.hub.portfolio.Portfolio;
import dev.tandem.hub.portfolio.PortfolioException;
import dev.tandem.hub.telemetry.TelemetryRecorder;
import dev.tandem.hub.usage.Blocks;
import dev.tandem.hub.usage.Ledger;
import dev.tandem.hub.usage.UsageException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The dashboard on the hub's web server: the page and its assets under {@code /dashboard}, the JSON API under
 * {@code /api/}, both behind {@link DashboardFilter}.
 */
public final class Dashboard {
    private static final Logger LOG = Logger.getLogger(Dashboard.class.getName());

    private final DashboardFilter filter;
    private final PageRoutes pages;
    private final SessionApi session;
    private final TelemetryApi telemetry;
    private final MemoryApi memories;
    private final InfoApi info;
    private final UsageApi usage;

    /**
     * What the dashboard reads and how it authenticates.
     *
     * @param boundHost the address the hub binds (for the Host check)
     * @param token the hub's bearer token
     * @param host this machine's host name, as the memory store records it
     * @param store the store: telemetry and the command log
     * @param recorder the recorder, absent when {@code [telemetry] enabled = false}
     * @param memories the memory store, absent when the hub runs without it
     * @param portfolio the context portfolio
     * @param checkSyncFile where the sync tool leaves its last check-sync result
     * @param usage the usage ledger
     */
    public record Sources(
            String boundHost,
            String token,
            String host,
            Store store,
            Optional<TelemetryRecorder> recorder,
            Optional<MemoryService> memories,
            Portfolio portfolio,
            Path checkSyncFile,
            Ledger usage) {
        @Override
        public String toString() {
            return "Sources[boundHost=" + boundHost + "]"; // never print the token
        }
    }

    public Dashboard(Sources sources, DashboardSessions sessions, Clock clock) {
        BearerAuth bearer = new BearerAuth(sources.token());
        this.filter = new DashboardFilter(
                new LoopbackGuard(sources.boundHost()), bearer, sessions, new FailureThrottle(clock));
        this.pages = new PageRoutes(sessions);
        this.session = new SessionApi(sessions, bearer, sources.host());
        this.telemetry = new TelemetryApi(sources.store(), sources.recorder(), clock);
        this.memories = new MemoryApi(sources.memories());
        this.info = new InfoApi(sources.portfolio(), sources.checkSyncFile());
        this.usage = new UsageApi(
                sources.usage(), new Blocks(sources.usage(), sources.store().usage(), clock), clock);
    }

    /** Adds the filter, the routes and the error mapping to the hub's routing. */
    public void register(HttpRouting.Builder r) {
        r.addFilter(filter);
        pages.register(r);
        session.register(r);
        telemetry.register(r);
        memories.register(r);
        info.register(r);
        usage.register(r);
        r.error(BadRequestException.class, (req, res, e) -> Replies.error(res, Status.BAD_REQUEST_400, e.getMessage()));
        r.error(StoreException.class, (req, res, e) -> failed(res, e));
        r.error(MemoryException.class, (req, res, e) -> failed(res, e));
        r.error(PortfolioException.class, (req, res, e) -> failed(res, e));
        r.error(UsageException.class, (req, res, e) -> Replies.error(res, Status.BAD_REQUEST_400, e.getMessage()));
    }

    private static void failed(io.helidon.webserver.http.ServerResponse res, RuntimeException e) {
        LOG.log(Level.WARNING, "dashboard request failed: " + e.getMessage(), e);
        Replies.error(res, Status.INTERNAL_SERVER_ERROR_500, e.getMessage());
    }
}
