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

    @Test
    void openSaysSoWhenTheBrowserCannotBeStarted() throws Exception {
        try (TestHub hub = TestHub.start(dir.resolve("hub"), "[memory]\nhost = \"box\"\n", null)) {
            String config = config(hub.port(), hub.config().tokenFile()).toString();
            Path opener = Files.writeString(
                    dir.resolve("opener"), "#!/bin/sh\necho 'xdg-open: no method available for opening' >&2\nexit 3\n");
            Files.setPosixFilePermissions(opener, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));

            Run failed = TandemCli.tandem("dashboard", "--config", config, "--open", "--browser", opener.toString());
            assertEquals(1, failed.exit(), failed.err());
            assertTrue(failed.out().contains("/dashboard/login?code="), failed.out());
            assertTrue(
                    failed.err().contains("could not open a browser")
                            && failed.err().contains("exited 3")
                            && failed.err().contains("no method available for opening")
                            && failed.err().contains("open the URL above yourself"),
                    failed.err());

            Run missing = TandemCli.tandem(
                    "dashboard",
                    "--config",
                    config,
                    "--open",
                    "--browser",
                    dir.resolve("no-such-opener").toString());
            assertEquals(1, missing.exit(), missing.err());
            assertTrue(missing.err().contains("cannot run '" + dir.resolve("no-such-opener")), missing.err());
        }
    }

    @Test
    void openExitsZeroWhenTheBrowserStarts() throws Exception {
        try (TestHub hub = TestHub.start(dir.resolve("hub"), "[memory]\nhost = \"box\"\n", null)) {
            Path seen = dir.resolve("seen");
            Path opener = Files.writeString(dir.resolve("opener"), "#!/bin/sh\necho \"$1\" > '" + seen + "'\n");
            Files.setPosixFilePermissions(opener, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            Run run = TandemCli.tandem(
                    "dashboard",
                    "--config",
                    config(hub.port(), hub.config().tokenFile()).toString(),
                    "--open",
                    "--browser",
                    opener.toString());
            assertEquals(0, run.exit(), run.err());
            assertEquals(run.out().strip(), Files.readString(seen).strip());
        }
    }
}
