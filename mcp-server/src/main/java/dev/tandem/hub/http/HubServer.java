package dev.tandem.hub.http;

import dev.tandem.hub.HubVersion;
import dev.tandem.hub.auth.BearerAuth;
import dev.tandem.hub.auth.FailureThrottle;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/** The Helidon web server: {@code GET /health} without a token, and MCP on {@code /mcp} behind the token. */
public final class HubServer implements AutoCloseable {
    private final WebServer server;
    private final StreamableHttpTransport transport;

    private HubServer(WebServer server, StreamableHttpTransport transport) {
        this.server = server;
        this.transport = transport;
    }

    /**
     * Settings of the HTTP edge.
     *
     * @param host the address to bind
     * @param port the port, 0 for a free one
     * @param token the bearer token every {@code /mcp} request must carry
     * @param maxBodyBytes the largest request body accepted
     * @param idleTimeout how long an idle session lives
     * @param keepAlive how often an open GET stream gets a keep-alive comment
     */
    public record Settings(
            String host, int port, String token, long maxBodyBytes, Duration idleTimeout, Duration keepAlive) {
        @Override
        public String toString() {
            // never print the token
            return "Settings[host=" + host + ", port=" + port + "]";
        }
    }

    /** Creates the transport, not yet listening, so the MCP server can be built on it first. */
    public static StreamableHttpTransport transport(Settings settings) {
        return new StreamableHttpTransport(
                McpJsonDefaults.getMapper(),
                settings.maxBodyBytes(),
                settings.idleTimeout(),
                settings.keepAlive(),
                Clock.systemUTC());
    }

    /**
     * Starts listening.
     *
     * @throws HubStartException when the address cannot be bound (Helidon's {@code start()} only logs that)
     */
    public static HubServer start(Settings settings, StreamableHttpTransport transport) {
        return start(settings, transport, r -> {});
    }

    /**
     * Starts listening, with more routes (the dashboard) added after {@code /health} and {@code /mcp}.
     *
     * @throws HubStartException when the address cannot be bound (Helidon's {@code start()} only logs that)
     */
    public static HubServer start(
            Settings settings, StreamableHttpTransport transport, Consumer<HttpRouting.Builder> moreRoutes) {
        SecurityFilter security = new SecurityFilter(
                new LoopbackGuard(settings.host()),
                new BearerAuth(settings.token()),
                new FailureThrottle(Clock.systemUTC()));
        String health = "{\"status\":\"ok\",\"version\":\"" + HubVersion.get() + "\"}";
        WebServer server = WebServer.builder()
                .host(settings.host())
                .port(settings.port())
                // Helidon's own limit sits above ours, so the transport can answer 413 with a JSON-RPC body.
                .maxPayloadSize(settings.maxBodyBytes() + 64 * 1024)
                .shutdownGracePeriod(Duration.ofMillis(200))
                .shutdownHook(false)
                .routing(r -> {
                    r.addFilter(security)
                            .get("/health", (req, res) -> HttpReplies.json(res, Status.OK_200, health))
                            .post("/mcp", transport::post)
                            .get("/mcp", transport::get)
                            .delete("/mcp", transport::delete);
                    moreRoutes.accept(r);
                })
                .build();
        try {
            server.start();
        } catch (RuntimeException e) {
            throw new HubStartException(bindFailure(settings), e);
        }
        if (!server.isRunning() || server.port() <= 0) {
            server.stop();
            throw new HubStartException(bindFailure(settings), null);
        }
        return new HubServer(server, transport);
    }

    private static String bindFailure(Settings settings) {
        return "cannot listen on " + settings.host() + ":" + settings.port()
                + " (is another hub or program using that port? choose another with --port, or --port 0 for any)";
    }

    public int port() {
        return server.port();
    }

    public StreamableHttpTransport transport() {
        return transport;
    }

    /** Closes every MCP stream first, so open GET streams do not hold the shutdown, then stops listening. */
    @Override
    public void close() {
        transport.closeGracefully().block(Duration.ofSeconds(2));
        server.stop();
    }

    /** Thrown when the hub cannot start listening. */
    public static final class HubStartException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HubStartException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
