package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clients are wired to the hub that runs: {@code serve --port 0} then {@code push-runtime} uses the port the hub
 * got, and {@code check-sync} warns when no Tandem hub taking this token answers where the clients point.
 */
class HubUrlChoiceTest {
    private static final Pattern READY = Pattern.compile("tandem hub listening on (http://127\\.0\\.0\\.1:\\d+/mcp)");
    private static final String REPO =
            Path.of("..").toAbsolutePath().normalize().toString();

    @TempDir
    Path home;

    private TandemCli.Run sync(String command) {
        return TandemCli.tandem("sync", command, "--home", home.toString(), "--repo", REPO);
    }

    private ChildHub serve() {
        return ChildHub.run(
                home, "serve", "--port", "0", "--data-dir", home.resolve("data").toString(), "--root", home.toString());
    }

    @Test
    void pushWiresBothClientsToThePortTheRunningHubGot() throws IOException {
        try (ChildHub child = serve()) {
            String line = child.readLine();
            assertNotNull(line, child::stderr);
            Matcher m = READY.matcher(line);
            assertTrue(m.matches(), line);
            String url = m.group(1);
            assertEquals(0, sync("push-runtime").exit());
            assertTrue(Files.readString(home.resolve(".codex/config.toml")).contains("url = \"" + url + "\""));
            assertTrue(Files.readString(home.resolve(".claude.json")).contains("\"url\": \"" + url + "\""));
            TandemCli.Run check = sync("check-sync");
            assertEquals(0, check.exit(), check.out() + check.err());
            assertFalse(check.err().contains("warning"), check.err());
        }
    }

    @Test
    void checkSyncWarnsWhenTheHubWiredToRefusesThisToken() throws IOException {
        try (ChildHub child = serve()) {
            assertNotNull(child.readLine(), child::stderr);
            assertEquals(0, sync("push-runtime").exit());
            Path other = home.resolve(".tandem/other-token");
            Files.writeString(other, "ab".repeat(32) + "\n");
            Files.setPosixFilePermissions(other, PosixFilePermissions.fromString("rw-------"));
            Files.writeString(home.resolve(".tandem/hub.toml"), "[hub]\ntoken_file = \"other-token\"\n");
            TandemCli.Run check = sync("check-sync");
            assertTrue(check.err().contains("refuses the token of " + other), check.err());
        }
    }

    @Test
    void checkSyncWarnsWhenNoHubAnswersWhereTheClientsPoint() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.createDirectories(home.resolve(".tandem"));
        Files.writeString(home.resolve(".tandem/hub.toml"), "[hub]\nport = " + port + "\n");
        assertEquals(0, sync("push-runtime").exit());
        TandemCli.Run check = sync("check-sync");
        assertEquals(0, check.exit(), "the files are in sync: only a warning");
        assertTrue(check.err().contains("no Tandem hub answers at http://127.0.0.1:" + port + "/mcp"), check.err());
    }
}
