package dev.tandem.hub.conformance;

import dev.tandem.core.config.TokenFile;
import dev.tandem.core.store.StoreSettings;
import dev.tandem.hub.HubVersion;
import dev.tandem.hub.auth.LiveToken;
import dev.tandem.hub.http.HttpLimits;
import dev.tandem.hub.http.HubServer;
import dev.tandem.hub.http.StreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Tandem's own HTTP edge ({@link HubServer}: loopback guard, bearer token, {@link StreamableHttpTransport}) serving
 * the fixtures of the official MCP conformance suite instead of the hub's capabilities.
 *
 * <p>Run by {@code .ci/conformance}: {@code java -cp ... dev.tandem.hub.conformance.ConformanceServer --port 0
 * --token-file F}. The suite cannot send a token, so it reaches this server through {@code .ci/auth-proxy.mjs}.
 */
public final class ConformanceServer implements AutoCloseable {
    /** What {@link #main} prints when ready, followed by the MCP URL. */
    public static final String READY = "tandem conformance server listening on ";

    private final McpSyncServer mcp;
    private final HubServer http;

    private ConformanceServer(McpSyncServer mcp, HubServer http) {
        this.mcp = mcp;
        this.http = http;
    }

    /** Starts the server on 127.0.0.1:{@code port} (0 for any) behind {@code token}. */
    public static ConformanceServer start(int port, String token) {
        HubServer.Settings settings = new HubServer.Settings(
                "127.0.0.1",
                port,
                LiveToken.fixed(token),
                4L << 20,
                Duration.ofMinutes(30),
                Duration.ofSeconds(15),
                HttpLimits.defaults());
        StreamableHttpTransport transport = HubServer.transport(settings, StoreSettings.localHostName());
        McpJsonMapper json = McpJsonDefaults.getMapper();
        McpSyncServer mcp = McpServer.sync(transport)
                .serverInfo("tandem-conformance", HubVersion.get())
                .jsonMapper(json)
                .capabilities(McpSchema.ServerCapabilities.builder()
                        .tools(true)
                        .resources(true, true)
                        .prompts(true)
                        .logging()
                        .completions()
                        .build())
                .requestTimeout(Duration.ofSeconds(30))
                .immediateExecution(true)
                .tools(new ConformanceTools(json).all())
                .resources(ConformanceResources.resources())
                .resourceTemplates(ConformanceResources.templates())
                .prompts(ConformancePrompts.prompts())
                .completions(ConformancePrompts.completions())
                .build();
        try {
            return new ConformanceServer(mcp, HubServer.start(settings, transport));
        } catch (RuntimeException e) {
            mcp.close();
            throw e;
        }
    }

    public int port() {
        return http.port();
    }

    /** Returns {@code http://127.0.0.1:PORT/mcp}. */
    public String url() {
        return "http://127.0.0.1:" + port() + "/mcp";
    }

    @Override
    public void close() {
        http.close();
        mcp.close();
    }

    /**
     * Runs the server until the process is stopped.
     *
     * @param args {@code [--port N] --token-file F}; the token file is created (mode 0600) when missing
     */
    public static void main(String[] args) throws InterruptedException {
        int port = 0;
        Path tokenFile = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--token-file" -> tokenFile = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (tokenFile == null || args.length % 2 != 0) {
            System.err.println("usage: ConformanceServer [--port N] --token-file FILE");
            System.exit(2);
        }
        ConformanceServer server = start(port, new TokenFile(tokenFile).loadOrCreate());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            stopped.countDown();
                        },
                        "conformance-shutdown"));
        System.out.println(READY + server.url());
        System.out.flush();
        stopped.await();
    }
}
