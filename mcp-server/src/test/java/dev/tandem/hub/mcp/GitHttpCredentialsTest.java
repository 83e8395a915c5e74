package dev.tandem.hub.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tandem.core.config.Section;
import dev.tandem.hub.TestHub;
import dev.tandem.hub.git.GitService;
import dev.tandem.hub.git.GitSettings;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tomlj.Toml;

/** A push over http to a loopback server that demands Basic auth: the hub answers with the configured token. */
class GitHttpCredentialsTest {
    @TempDir
    Path dir;

    @Test
    void pushSendsTheConfiguredTokenAndNeverShowsIt() throws Exception {
        List<String> authorizations = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth == null) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
                exchange.sendResponseHeaders(401, -1);
            } else {
                authorizations.add(auth);
                exchange.sendResponseHeaders(403, -1);
            }
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            Path root = Files.createDirectories(dir.resolve("root"));
            Files.writeString(dir.resolve("token"), "s3cret-token\n");
            try (Git git = Git.init()
                    .setDirectory(root.resolve("proj").toFile())
                    .setInitialBranch("main")
                    .call()) {
                Files.writeString(root.resolve("proj/a.txt"), "a\n");
                git.add().addFilepattern(".").call();
                git.commit().setMessage("first").setAuthor("A", "a@x").call();
                git.remoteAdd()
                        .setName("origin")
                        .setUri(new URIish(base + "/acme/app.git"))
                        .call();
            }
            GitSettings settings = GitSettings.from(
                    Section.of(
                            dir.resolve("hub.toml"),
                            "git",
                            Toml.parse("[git.credentials.\"" + base
                                            + "/acme/\"]\nusername = \"bot\"\ntoken_file = \"token\"\n")
                                    .getTable("git"),
                            dir.resolve("home")),
                    dir.resolve("home"));
            try (TestHub hub =
                    TestHub.start(dir, List.of(new GitCapability(new GitService(List.of(root), settings))))) {
                McpSchema.CallToolResult r = hub.client("codex-mcp-client")
                        .callTool(McpSchema.CallToolRequest.builder("git_push")
                                .arguments(Map.of("dir", "proj"))
                                .build());
                assertTrue(r.isError());
                String text = ((McpSchema.TextContent) r.content().get(0)).text();
                assertFalse(text.contains("s3cret"), text);
                assertTrue(text.contains("push to 'origin'"), text);
            }
            String expected =
                    "Basic " + Base64.getEncoder().encodeToString("bot:s3cret-token".getBytes(StandardCharsets.UTF_8));
            assertFalse(authorizations.isEmpty(), "the server never saw credentials");
            assertEquals(expected, authorizations.get(0));
        } finally {
            server.stop(0);
        }
    }
}
