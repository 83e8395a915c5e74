package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.json.Json;
import dev.tandem.sync.SyncMain;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tomlj.Toml;

/**
 * The real hub ({@code tandem serve}) and the real sync tool ({@code tandem sync push-runtime}), each in its own
 * JVM with the same home, working directory and environment, resolve the configuration alike: the clients the
 * sync tool configures reach the hub at the URL it listens on, its auth helper reads the token the hub checks,
 * and it reads the memories the hub stored, under the same host. Once with relative paths in {@code hub.toml},
 * once with every variable the sync tool depends on set to a relative value.
 */
class HubAndSyncAgreeTest {
    private static final String READY = "tandem hub listening on ";
    private static final String NOTE = "Both tools agree on where the store is.";

    @TempDir
    Path dir;

    private Path home;
    private Path work;
    private Path repo;

    @BeforeEach
    void checkout() throws IOException {
        home = Files.createDirectories(dir.resolve("home"));
        work = Files.createDirectories(dir.resolve("work"));
        repo = Checkouts.copy(dir.resolve("repo"));
    }

    @Test
    void relativePathsInHubTomlMeanTheSameFilesToHubAndSync() throws Exception {
        int port = freePort();
        write(home.resolve(".tandem/hub.toml"), """
                [hub]
                port = %d
                token_file = "keys/token"
                data_dir = "../store"
                [memory]
                host = "devbox"
                """.formatted(port));
        agree(Map.of(), port, home.resolve(".tandem/keys/token"), home.resolve("store/memory.db"));
    }

    @Test
    void environmentVariablesMeanTheSameToHubAndSync() throws Exception {
        int port = freePort();
        write(home.resolve(".tandem/hub.toml"), """
                [hub]
                port = 1
                token_file = "not-this-one"
                data_dir = "nor-this-one"
                [memory]
                host = "devbox"
                """);
        Map<String, String> env = Map.of(
                "TANDEM_HOST", "127.0.0.1",
                "TANDEM_PORT", Integer.toString(port),
                "TANDEM_TOKEN_FILE", "secrets/token",
                "TANDEM_DATA_DIR", "state");
        agree(env, port, work.resolve("secrets/token"), work.resolve("state/memory.db"));
        assertFalse(Files.exists(home.resolve(".tandem/not-this-one")));
    }

    private void agree(Map<String, String> env, int port, Path tokenFile, Path database) throws Exception {
        try (Child hub = Child.start(Main.class, home, work, repo, env, "serve")) {
            String ready = hub.readLine();
            assertNotNull(ready, hub::stderr);
            assertEquals(READY + "http://127.0.0.1:" + port + "/mcp", ready);
            String url = ready.substring(READY.length());
            assertTrue(Files.isRegularFile(tokenFile), "the hub's token file is " + tokenFile);

            push(env);
            String codexUrl = Toml.parse(Files.readString(home.resolve(".codex/config.toml")))
                    .getString("mcp_servers.tandem.url");
            assertEquals(url, codexUrl, "the sync tool points Codex at the hub");

            try (McpSyncClient codex = client(url, authorization())) {
                McpSchema.CallToolResult stored = codex.callTool(McpSchema.CallToolRequest.builder("memory_store")
                        .arguments(Map.of("content", NOTE, "scope", "client"))
                        .build());
                assertFalse(Boolean.TRUE.equals(stored.isError()), stored.toString());
            }
            assertTrue(Files.isRegularFile(database), "the hub's store is " + database);

            push(env);
            String agents = Files.readString(home.resolve(".codex/AGENTS.md"));
            assertTrue(
                    agents.contains(NOTE), "the sync tool reads Codex's own memory from the hub's store:\n" + agents);
        }
    }

    private void push(Map<String, String> env) throws Exception {
        try (Child sync = Child.start(SyncMain.class, home, work, repo, env, "sync", "push-runtime")) {
            assertEquals(0, sync.waitFor(120), sync::stderr);
        }
    }

    /**
     * Runs the auth helper command the sync tool configured for Codex, the way Codex runs it, and returns the
     * Authorization header it prints: Codex's own credential, made by the push after the hub started.
     */
    private String authorization() throws Exception {
        String command = Toml.parse(Files.readString(home.resolve(".codex/config.toml")))
                .getString("mcp_servers.tandem.http_headers_helper");
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command);
        pb.environment().clear();
        pb.environment().put("HOME", home.toString());
        pb.environment().put("PATH", "/usr/bin:/bin");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        return Json.mapper().readTree(out).path("Authorization").asString();
    }

    private static McpSyncClient client(String url, String authorization) {
        URI uri = URI.create(url);
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(
                        uri.getScheme() + "://" + uri.getAuthority())
                .endpoint(uri.getPath())
                .addHttpRequestCustomizer((b, method, u, body, ctx) -> b.header("Authorization", authorization))
                .build();
        McpSyncClient client = McpClient.sync(transport)
                .clientInfo(McpSchema.Implementation.builder("codex-mcp-client", "0.169.0")
                        .build())
                .requestTimeout(Duration.ofSeconds(30))
                .build();
        client.initialize();
        return client;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** A main class of this test's class path in a child JVM, with a chosen home, working directory and env. */
    private static final class Child implements AutoCloseable {
        private final Process process;
        private final BufferedReader stdout;
        private final CompletableFuture<String> stderr;

        private Child(Process process) {
            this.process = process;
            this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.stderr = new CompletableFuture<>();
            // its own thread: a blocking read in the common pool would starve the MCP client's async stages
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    stderr.complete(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    stderr.complete("");
                }
            });
        }

        static Child start(Class<?> main, Path home, Path work, Path repo, Map<String, String> env, String... args)
                throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(ProcessHandle.current().info().command().orElse("java"));
            cmd.add("--enable-native-access=ALL-UNNAMED");
            cmd.add("-Duser.home=" + home);
            cmd.add("-Dtandem.repo=" + repo);
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(main.getName());
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
            pb.environment()
                    .keySet()
                    .removeIf(k -> k.startsWith("TANDEM_") || k.equals("CODEX_HOME") || k.equals("CLAUDE_CONFIG_DIR"));
            pb.environment().putAll(env);
            return new Child(pb.start());
        }

        String readLine() throws IOException {
            return stdout.readLine();
        }

        int waitFor(long seconds) throws InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("child did not exit within " + seconds + " s");
            }
            return process.exitValue();
        }

        String stderr() {
            return stderr.join();
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
