package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.hub.TandemCli.Run;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardCommandTest {
    @TempDir
    Path dir;

    /** Writes a hub.toml naming the port and the token file, as a person's configuration would. */
    private Path config(int port, Path tokenFile) throws Exception {
        return Files.writeString(
                dir.resolve("hub.toml"), "[hub]\nport = " + port + "\ntoken_file = \"" + tokenFile + "\"\n");
    }

    @Test
    void printsAOneTimeUrlThatLogsIntoTheRunningHub() throws Exception {
        try (TestHub hub = TestHub.start(dir.resolve("hub"), "[memory]\nhost = \"box\"\n", null);
                DashboardHttp http = new DashboardHttp(hub)) {
            Run run = TandemCli.tandem(
                    "dashboard",
                    "--config",
                    config(hub.port(), hub.config().tokenFile()).toString());
            assertEquals(0, run.exit(), run.err());
            String url = run.out().strip();
            String prefix = "http://127.0.0.1:" + hub.port() + "/dashboard/login?code=";
            assertTrue(url.startsWith(prefix) && !url.contains("\n"), run.out());

            String path = url.substring(("http://127.0.0.1:" + hub.port()).length());
            HttpResponse<String> login = http.get(path, Map.of());
            assertEquals(303, login.statusCode());
            String cookie =
                    login.headers().firstValue("set-cookie").orElseThrow().split(";", 2)[0];
            assertEquals(200, http.get("/api/whoami", Map.of("Cookie", cookie)).statusCode());
            assertEquals(401, http.get(path, Map.of()).statusCode());
        }
    }

    @Test
    void namesThePortAndTheConfigWhenNoHubAnswers() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Path token = Files.writeString(dir.resolve("token"), "t".repeat(43));
        Files.setPosixFilePermissions(token, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Path config = config(port, token);

        Run run = TandemCli.tandem("dashboard", "--config", config.toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("no hub answers on http://127.0.0.1:" + port), run.err());
        assertTrue(run.err().contains(config.toString()), run.err());
        assertTrue(run.err().contains("tandem serve"), run.err());
        assertEquals("", run.out());
    }
}
