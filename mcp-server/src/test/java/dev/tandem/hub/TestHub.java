package dev.tandem.hub;

import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.HubConfigLoader;
import dev.tandem.core.config.HubFlags;
import dev.tandem.core.config.TokenFile;
import dev.tandem.hub.mcp.Capability;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A real hub on port 0 in a temp folder, and real SDK clients for it; the harness of every hub test.
 *
 * <p>Use {@link #start(Path)} for the hub with the capabilities its configuration enables, or {@link
 * #start(Path, List)} with chosen ones. Clients it makes are closed with it.
 */
public final class TestHub implements AutoCloseable {
    private final Hub hub;
    private final HubConfig config;
    private final String token;
    private final List<McpSyncClient> clients = new ArrayList<>();

    private TestHub(Hub hub, HubConfig config, String token) {
        this.hub = hub;
        this.config = config;
        this.token = token;
    }

    /** Starts a hub whose home, token and data live under {@code dir}, rooted at {@code dir/root}. */
    public static TestHub start(Path dir) {
        return start(dir, UnaryOperator.identity(), null);
    }

    /** Starts a hub with only the given capabilities. */
    public static TestHub start(Path dir, List<Capability> capabilities) {
        return start(dir, UnaryOperator.identity(), capabilities);
    }

    /**
     * Starts a hub after letting {@code tweak} change the configuration.
     *
     * @param hubToml text of {@code dir/home/.tandem/hub.toml}, or null for none
     */
    public static TestHub start(Path dir, String hubToml, List<Capability> capabilities) {
        try {
            Path tandem = Files.createDirectories(dir.resolve("home/.tandem"));
            if (hubToml != null) {
                Files.writeString(tandem.resolve("hub.toml"), hubToml, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return start(dir, UnaryOperator.identity(), capabilities);
    }

    /**
     * Starts a hub whose capabilities are made from its configuration ({@code dir/home/.tandem/hub.toml} holds
     * {@code hubToml} unless it is null).
     */
    public static TestHub startWith(Path dir, String hubToml, Function<HubConfig, List<Capability>> capabilities) {
        try {
            Path tandem = Files.createDirectories(dir.resolve("home/.tandem"));
            if (hubToml != null) {
                Files.writeString(tandem.resolve("hub.toml"), hubToml, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return start(dir, UnaryOperator.identity(), null, capabilities);
    }

    /** Starts a hub after letting {@code tweak} change the configuration; null capabilities means the defaults. */
    public static TestHub start(Path dir, UnaryOperator<HubConfig> tweak, List<Capability> capabilities) {
        return start(dir, tweak, capabilities, null);
    }

    private static TestHub start(
            Path dir,
            UnaryOperator<HubConfig> tweak,
            List<Capability> capabilities,
            Function<HubConfig, List<Capability>> fromConfig) {
        try {
            Path home = Files.createDirectories(dir.resolve("home"));
            Path root = Files.createDirectories(dir.resolve("root"));
            HubConfigLoader loader = new HubConfigLoader(home, root, dir, Map.of());
            HubFlags flags = new HubFlags(
                    "127.0.0.1",
                    0,
                    null,
                    null,
                    null,
                    Files.createDirectories(dir.resolve("portfolio")),
                    List.of(root),
                    null,
                    null,
                    null);
            HubConfig config = tweak.apply(loader.load(java.util.Optional.empty(), flags));
            List<Capability> caps = fromConfig != null ? fromConfig.apply(config) : capabilities;
            Hub hub = caps == null ? Hub.start(config) : Hub.start(config, caps);
            // as 'tandem sync push-runtime' does: each engine gets its own credential beside the person's token
            HubConfig.ENGINES.forEach(e -> new TokenFile(config.engineTokenFile(e)).loadOrCreate());
            String token = Files.readString(config.tokenFile(), StandardCharsets.US_ASCII)
                    .strip();
            return new TestHub(hub, config, token);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Hub hub() {
        return hub;
    }

    public HubConfig config() {
        return config;
    }

    public String token() {
        return token;
    }

    public int port() {
        return hub.port();
    }

    /** Returns {@code http://127.0.0.1:PORT}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + hub.port();
    }

    /**
     * Returns the credential {@code name} as its file holds it now: {@code person} (the person's token), {@code
     * codex} or {@code claude}.
     */
    public String token(String name) {
        try {
            Path file = name.equals("person") ? config.tokenFile() : config.engineTokenFile(name);
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Returns the credential a client of that name gets from push-runtime: Codex's for a name with "codex", Claude's
     * for one with "claude", the person's token otherwise.
     */
    static String credentialFor(String clientName) {
        String n = clientName.toLowerCase(java.util.Locale.ROOT);
        return n.contains("codex") ? "codex" : n.contains("claude") ? "claude" : "person";
    }

    /**
     * Returns an initialized client that introduces itself as {@code clientName}, on the credential push-runtime
     * gives that engine ({@link #credentialFor}).
     */
    public McpSyncClient client(String clientName) {
        return client(clientName, spec -> spec);
    }

    /** Returns an initialized client, after {@code customize} adds consumers (progress, logging, …). */
    public McpSyncClient client(String clientName, UnaryOperator<McpClient.SyncSpec> customize) {
        return clientOn(credentialFor(clientName), clientName, customize);
    }

    /** Returns an initialized client on the credential {@code credential} that calls itself {@code clientName}. */
    public McpSyncClient clientOn(String credential, String clientName) {
        return clientOn(credential, clientName, spec -> spec);
    }

    private McpSyncClient clientOn(String credential, String clientName, UnaryOperator<McpClient.SyncSpec> customize) {
        String bearer = token(credential);
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(baseUrl())
                .endpoint("/mcp")
                .addHttpRequestCustomizer((b, method, uri, body, ctx) -> b.header("Authorization", "Bearer " + bearer))
                .build();
        McpClient.SyncSpec spec = McpClient.sync(transport)
                .clientInfo(
                        McpSchema.Implementation.builder(clientName, "1.0.0").build())
                .requestTimeout(Duration.ofSeconds(30));
        McpSyncClient client = customize.apply(spec).build();
        client.initialize();
        synchronized (clients) {
            clients.add(client);
        }
        return client;
    }

    @Override
    public void close() {
        synchronized (clients) {
            clients.forEach(c -> {
                try {
                    c.closeGracefully();
                } catch (RuntimeException e) {
                    // the hub may already be gone in a shutdown test
                }
            });
        }
        hub.close();
    }
}
