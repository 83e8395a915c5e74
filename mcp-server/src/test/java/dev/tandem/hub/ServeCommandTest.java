package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {
    private static final Pattern READY = Pattern.compile("tandem hub listening on http://127\\.0\\.0\\.1:(\\d+)/mcp");

    @TempDir
    Path home;

    private ChildHub serve(String... extra) {
        String[] args = new String[extra.length + 5];
        args[0] = "serve";
        args[1] = "--data-dir";
        args[2] = home.resolve("data").toString();
        args[3] = "--portfolio";
        args[4] = home.toString();
        System.arraycopy(extra, 0, args, 5, extra.length);
        return ChildHub.run(home, args);
    }

    @Test
    void printsTheReadyLineAndStopsOnSigtermWithAGetStreamOpen() throws Exception {
        try (ChildHub child = serve("--port", "0")) {
            String line = child.readLine();
            assertNotNull(line, child::stderr);
            Matcher m = READY.matcher(line);
            assertTrue(m.matches(), "ready line was: " + line);
            int port = Integer.parseInt(m.group(1));
            String token = Files.readString(home.resolve(".tandem/token")).strip();
            assertEquals(
                    "rw-------",
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(".tandem/token"))));

            TestHubLike hub = new TestHubLike(port, token);
            String session = hub.openSession();
            HttpResponse<InputStream> stream = hub.openGet(session);
            assertEquals(200, stream.statusCode());

            child.process.destroy(); // SIGTERM
            assertEquals(143, child.waitFor(10), child::stderr);
            assertFalse(child.stderr().contains(token), "the token never appears in the output");
        }
    }

    @Test
    void exitsWithAClearMessageWhenThePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                ChildHub child = serve("--port", Integer.toString(taken.getLocalPort()))) {
            assertEquals(2, child.waitFor(30));
            assertTrue(child.stderr().contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()), child.stderr());
            assertEquals(1, child.stderr().strip().lines().count(), "one line, no stack trace:\n" + child.stderr());
            assertTrue(child.stderr().contains("Address already in use"), child.stderr());
        }
    }

    @Test
    void refusesANonLoopbackBindWithoutTheExplicitFlag() throws Exception {
        try (ChildHub child = serve("--port", "0", "--host", "0.0.0.0")) {
            assertEquals(2, child.waitFor(30));
            assertTrue(child.stderr().contains("--allow-remote"), child.stderr());
        }
    }

    @Test
    void refusesATokenFileOthersCanRead() throws Exception {
        Path token = home.resolve("token");
        Files.writeString(token, "a".repeat(64) + "\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
        try (ChildHub child = serve("--port", "0", "--token-file", token.toString())) {
            assertEquals(2, child.waitFor(30));
            assertTrue(child.stderr().contains("chmod 600 " + token), child.stderr());
            assertFalse(child.stderr().contains("a".repeat(64)), "the token never appears in error text");
        }
    }

    @Test
    void tokenCommandPrintsTheSameTokenAndRotateReplacesIt() throws Exception {
        Path file = home.resolve("t/token");
        String first;
        try (ChildHub child = ChildHub.run(home, "token", "--token-file", file.toString())) {
            first = child.readLine();
            assertEquals(0, child.waitFor(30));
        }
        assertTrue(first.matches("[0-9a-f]{64}"), first);
        try (ChildHub child = ChildHub.run(home, "token", "--token-file", file.toString())) {
            assertEquals(first, child.readLine());
            assertEquals(0, child.waitFor(30));
        }
        try (ChildHub child = ChildHub.run(home, "token", "--token-file", file.toString(), "--rotate")) {
            String rotated = child.readLine();
            assertEquals(0, child.waitFor(30));
            assertTrue(rotated.matches("[0-9a-f]{64}") && !rotated.equals(first));
            assertEquals(rotated, Files.readString(file).strip());
        }
    }

    /** Raw access to a hub started by a child process. */
    record TestHubLike(int port, String token) {
        String openSession() {
            RawHttp.Response r =
                    RawHttp.send(port, "POST", "/mcp", McpHttp.headers(token), McpHttp.initialize("2025-06-18"));
            return r.header("mcp-session-id").orElseThrow(() -> new AssertionError(r.toString()));
        }

        HttpResponse<InputStream> openGet(String session) throws Exception {
            var client = java.net.http.HttpClient.newHttpClient();
            var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/mcp"))
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "text/event-stream")
                    .header("Mcp-Session-Id", session)
                    .GET()
                    .build();
            return client.send(req, HttpResponse.BodyHandlers.ofInputStream());
        }
    }
}
