package dev.tandem.hub.http;

import dev.tandem.hub.HubVersion;
import dev.tandem.hub.auth.Credentials;
import dev.tandem.hub.auth.FailureThrottle;
import dev.tandem.hub.fleet.HubTls;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http1.Http1Config;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The Helidon web server: {@code GET /health} without a token, MCP on {@code /mcp} behind the token, and the
 * features (the dashboard), all behind one {@link HttpEdge}.
 */
public final class HubServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HubServer.class.getName());
    private static final Duration WATCHDOG_EVERY = Duration.ofSeconds(2);
    private static final String UNAUTHORIZED_BODY = "{\"error\":\"unauthorized\",\"message\":"
            + "\"missing or wrong bearer token: send 'Authorization: Bearer <token>' with the token of the hub's "
            + "token file (print it with 'tandem token'; 'tandem sync push-runtime' sets up Codex and Claude Code)\"}";

    private final Settings settings;
    private final StreamableHttpTransport transport;
    private final ReadDeadlines deadlines;
    private final Object lifecycle = new Object();
    private final Listener main;
    /** With TLS: the plain-HTTP listener on 127.0.0.1 for this machine's own clients. */
    private final Optional<Listener> local;

    private volatile ListenerWatchdog watchdog;
    private volatile boolean closed;

    private HubServer(
            Settings settings,
            StreamableHttpTransport transport,
            ReadDeadlines deadlines,
            Listener main,
            Optional<Listener> local) {
        this.settings = settings;
        this.transport = transport;
        this.deadlines = deadlines;
        this.main = main;
        this.local = local;
    }

    /**
     * Settings of the HTTP edge.
     *
     * @param host the address to bind
     * @param port the port, 0 for a free one
     * @param credentials the bearer credentials a {@code /mcp} request may carry: the person's token, each engine's
     * @param maxBodyBytes the largest request body accepted
     * @param idleTimeout how long an idle session lives
     * @param keepAlive how often an open GET stream gets a keep-alive comment
     * @param limits connections and the time a client has to send a request
     * @param tls the TLS to serve with ({@code [tls]}); plain HTTP when empty
     */
    public record Settings(
            String host,
            int port,
            Credentials credentials,
            long maxBodyBytes,
            Duration idleTimeout,
            Duration keepAlive,
            HttpLimits limits,
            Optional<HubTls> tls) {
        /** Settings of a hub that serves plain HTTP. */
        public Settings(
                String host,
                int port,
                Credentials credentials,
                long maxBodyBytes,
                Duration idleTimeout,
                Duration keepAlive,
                HttpLimits limits) {
            this(host, port, credentials, maxBodyBytes, idleTimeout, keepAlive, limits, Optional.empty());
        }

        /** Settings whose only credential is the person's {@code token} (tests, and the hub before engines). */
        public Settings(
                String host,
                int port,
                Supplier<Optional<String>> token,
                long maxBodyBytes,
                Duration idleTimeout,
                Duration keepAlive,
                HttpLimits limits) {
            this(host, port, Credentials.person(token), maxBodyBytes, idleTimeout, keepAlive, limits);
        }

        /** Returns the person's token as it is now. */
        public Supplier<Optional<String>> token() {
            return credentials.person();
        }

        @Override
        public String toString() {
            // never print the token
            return "Settings[host=" + host + ", port=" + port + "]";
        }
    }

    /**
     * Creates the transport, not yet listening, so the MCP server can be built on it first; {@code localHost} is the
     * hub's own host ({@code [memory] host}, else this machine's name), the host of this machine's requests.
     */
    public static StreamableHttpTransport transport(Settings settings, String localHost) {
        return transport(settings, localHost, SessionLimits.defaults());
    }

    /** Creates the transport, not yet listening, with {@code limits} on sessions and batches ({@code [hub]}). */
    public static StreamableHttpTransport transport(Settings settings, String localHost, SessionLimits limits) {
        return new StreamableHttpTransport(
                McpJsonDefaults.getMapper(),
                settings.maxBodyBytes(),
                settings.idleTimeout(),
                settings.keepAlive(),
                Clock.systemUTC(),
                localHost,
                limits);
    }

    /**
     * Starts listening.
     *
     * @throws HubStartException when the address cannot be bound (Helidon's {@code start()} only logs that)
     */
    public static HubServer start(Settings settings, StreamableHttpTransport transport) {
        return start(settings, transport, List.of());
    }

    /**
     * Sets up the JDK's poller for virtual-thread I/O now, while descriptors are plenty. It is made on the first
     * socket read that has to wait; made while the process is out of descriptors (a flood of connections), its
     * class fails to initialise and stays failed, so every later read of every connection fails too and the hub
     * never serves again ({@code FileDescriptorLimitTest}).
     */
    private static void preparePoller() {
        try {
            Class.forName("sun.nio.ch.Poller", true, ClassLoader.getSystemClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            LOG.fine("no virtual-thread poller to prepare: " + e);
        }
    }

    /**
     * Starts listening, with the features' routes added after {@code /health} and {@code /mcp}.
     *
     * @throws HubStartException when the address cannot be bound (Helidon's {@code start()} only logs that)
     */
    public static HubServer start(Settings settings, StreamableHttpTransport transport, List<HubFeature> features) {
        preparePoller();
        int connections = HttpLimits.connectionBudget(settings.limits().maxConnections());
        ReadDeadlines deadlines = new ReadDeadlines(settings.limits().requestReadTimeout());
        List<GuardedArea> areas = new ArrayList<>();
        GuardedArea mcp = mcpArea();
        areas.add(mcp);
        features.forEach(f -> areas.add(f.area()));
        HttpEdge edge = new HttpEdge(
                new LoopbackGuard(
                        settings.host(), settings.tls().map(HubTls::names).orElse(Set.of())),
                settings.credentials(),
                mcp.covers(),
                mcp.covers().or(HubServer::hostArea),
                transport::localHost,
                new FailureThrottle(Clock.systemUTC()),
                deadlines,
                areas);
        String health = "{\"status\":\"ok\",\"version\":\"" + HubVersion.get() + "\"}";
        java.util.function.Consumer<HttpRouting.Builder> routing = r -> {
            r.addFilter(edge)
                    .get("/health", (req, res) -> HttpReplies.json(res, Status.OK_200, health))
                    .post("/mcp", transport::post)
                    .get("/mcp", transport::get)
                    .delete("/mcp", transport::delete)
                    .error(UnauthorizedException.class, edge::refuse);
            features.forEach(f -> f.routes(r));
        };
        IntFunction<WebServer> servers =
                port -> webServer(settings, settings.host(), port, settings.tls(), connections, deadlines, routing);
        WebServer server = servers.apply(settings.port());
        QuietStart quiet = new QuietStart();
        try {
            server.start();
        } catch (RuntimeException e) {
            deadlines.close();
            throw new HubStartException(bindFailure(settings, quiet.cause().orElse(e)), e);
        } finally {
            quiet.close();
        }
        if (!server.isRunning() || server.port() <= 0) {
            server.stop();
            deadlines.close();
            throw new HubStartException(bindFailure(settings, quiet.cause().orElse(null)), null);
        }
        Optional<Listener> local;
        try {
            // the same routes behind the same edge (token, host keys, Host/Origin checks, throttle), in plain HTTP,
            // bound to 127.0.0.1 alone: no other address reaches it, and a request there is the machine's own
            IntFunction<WebServer> locals =
                    port -> webServer(settings, LOCAL_HOST, port, Optional.empty(), connections, deadlines, routing);
            local = settings.tls()
                    .map(t -> startLocal(locals.apply(t.localPort()), t.localPort()))
                    .map(l -> new Listener(
                            "the plain-HTTP listener on " + LOCAL_HOST + ":" + l.port(), LOCAL_HOST, l, locals));
        } catch (HubStartException e) {
            server.stop();
            deadlines.close();
            throw e;
        }
        Listener main = new Listener("the listener on port " + server.port(), settings.host(), server, servers);
        HubServer hub = new HubServer(settings, transport, deadlines, main, local);
        List<Listener> watched = new ArrayList<>(List.of(main));
        local.ifPresent(watched::add);
        hub.watchdog = new ListenerWatchdog(watched, hub::restart, WATCHDOG_EVERY);
        return hub;
    }

    private static final String LOCAL_HOST = "127.0.0.1";

    private static WebServer startLocal(WebServer local, int port) {
        QuietStart quiet = new QuietStart();
        try {
            local.start();
        } catch (RuntimeException e) {
            throw new HubStartException(localFailure(port, quiet.cause().orElse(e)), e);
        } finally {
            quiet.close();
        }
        if (!local.isRunning() || local.port() <= 0) {
            local.stop();
            throw new HubStartException(localFailure(port, quiet.cause().orElse(null)), null);
        }
        return local;
    }

    private static String localFailure(int port, Throwable cause) {
        return "cannot listen on " + LOCAL_HOST + ":" + port + " for this machine's own clients (the plain-HTTP"
                + " listener beside TLS)" + (cause == null ? "" : ": " + cause.getMessage())
                + "; set [tls] local_port to a free port, or 0 for any";
    }

    private static WebServer webServer(
            Settings settings,
            String host,
            int port,
            Optional<HubTls> tls,
            int connections,
            ReadDeadlines deadlines,
            java.util.function.Consumer<HttpRouting.Builder> routing) {
        Duration idle = settings.limits().idleConnectionTimeout();
        var builder = WebServer.builder();
        tls.ifPresent(t -> builder.tls(t.tls()));
        return builder.host(host)
                .port(port)
                // Helidon's own limit sits above ours, so the transport can answer 413 with a JSON-RPC body.
                .maxPayloadSize(settings.maxBodyBytes() + 64 * 1024)
                .maxTcpConnections(connections)
                .idleConnectionTimeout(idle)
                // Helidon checks idleness this often (and stamps activity once a second)
                .idleConnectionPeriod(idlePeriod(idle))
                // Helidon writes a response 8 KiB at a time; with Nagle's algorithm on, the last piece waited
                // for the client's delayed ACK: about 40 ms for every answer above 8 KiB (docs/benchmarks.md)
                .connectionOptions(o -> o.tcpNoDelay(true))
                // HTTP/1.1 only, and exactly once: with a second protocol Helidon reads the first bytes to choose
                // one before it tracks the connection, so a client that sends nothing was never timed out
                .protocolsDiscoverServices(false)
                .addProtocol(Http1Config.builder().addReceiveListener(deadlines).build())
                .shutdownGracePeriod(Duration.ofMillis(200))
                .shutdownHook(false)
                .routing(routing)
                .build();
    }

    static Duration idlePeriod(Duration idle) {
        long millis = Math.max(100, Math.min(5_000, idle.toMillis() / 2));
        return Duration.ofMillis(millis);
    }

    /**
     * Returns whether an enrolled host's key opens {@code path} (beside {@code /mcp}): the fleet API and
     * {@code tandem usage} answered by the hub. The dashboard and the rest of its API take the person's token only.
     */
    private static boolean hostArea(String path) {
        return path.startsWith("/api/fleet/") || path.equals("/api/usage/cli");
    }

    /** The {@code /mcp} area: the bearer token and nothing else. */
    private static GuardedArea mcpArea() {
        return new GuardedArea(
                path -> path.equals("/mcp") || path.startsWith("/mcp/"),
                Set.of(),
                req -> false,
                false,
                Map.of(),
                (req, res, why) -> {
                    res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"tandem\"");
                    HttpReplies.json(res, Status.UNAUTHORIZED_401, UNAUTHORIZED_BODY);
                });
    }

    private static String bindFailure(Settings settings, Throwable cause) {
        String why = "";
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException || t instanceof java.net.SocketException) {
                why = ": " + t.getMessage();
            }
        }
        return "cannot listen on " + settings.host() + ":" + settings.port() + why
                + " (is another hub or program using that port? choose another with --port, or --port 0 for any)";
    }

    /**
     * Keeps Helidon's own report of a failed start (two SEVERE lines and a 40-line stack trace) off stderr while the
     * server starts, and keeps its cause: the hub reports the failure once, in one line.
     */
    private static final class QuietStart extends java.util.logging.Handler {
        private final Logger helidon = Logger.getLogger("io.helidon.webserver.LoomServer");
        private final boolean parents = helidon.getUseParentHandlers();
        private volatile Throwable cause;

        QuietStart() {
            helidon.setUseParentHandlers(false);
            helidon.addHandler(this);
        }

        java.util.Optional<Throwable> cause() {
            return java.util.Optional.ofNullable(cause);
        }

        @Override
        public void publish(java.util.logging.LogRecord record) {
            if (cause == null && record.getThrown() != null) {
                cause = record.getThrown();
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {
            helidon.removeHandler(this);
            helidon.setUseParentHandlers(parents);
        }
    }

    /** Starts a listener again after it gave up, unless the hub is closing. */
    private void restart(Listener listener) {
        synchronized (lifecycle) {
            if (!closed) {
                listener.restart();
            }
        }
    }

    public int port() {
        return main.port();
    }

    /** Returns the port of the plain-HTTP listener on 127.0.0.1 that a hub with TLS has beside its own. */
    public java.util.OptionalInt localPort() {
        return local.map(l -> java.util.OptionalInt.of(l.port())).orElseGet(java.util.OptionalInt::empty);
    }

    /** Returns whether the hub serves HTTPS. */
    public boolean tls() {
        return settings.tls().isPresent();
    }

    /** Returns whether accepted connections have {@code TCP_NODELAY} set. */
    boolean noDelay() {
        return main.server().prototype().connectionOptions().tcpNoDelay();
    }

    public StreamableHttpTransport transport() {
        return transport;
    }

    /** Closes every MCP stream first, so open GET streams do not hold the shutdown, then stops listening. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            closed = true;
        }
        ListenerWatchdog w = watchdog;
        if (w != null) {
            w.close();
        }
        transport.closeGracefully().block(Duration.ofSeconds(2));
        main.stop();
        local.ifPresent(Listener::stop);
        deadlines.close();
    }

    /** Thrown when the hub cannot start listening. */
    public static final class HubStartException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HubStartException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
