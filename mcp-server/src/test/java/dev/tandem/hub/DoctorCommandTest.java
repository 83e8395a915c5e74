package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.json.Json;
import dev.tandem.hub.TandemCli.Run;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code tandem doctor} on real homes: a real hub on port 0, real token files, a real Codex config.toml. */
class DoctorCommandTest {
    @TempDir
    Path dir;

    private Path config(int port, Path tokenFile) throws Exception {
        return Files.writeString(
                dir.resolve("hub.toml"), "[hub]\nport = " + port + "\ntoken_file = \"" + tokenFile + "\"\n");
    }

    private Path codexHome(String configToml) throws Exception {
        Path codex = Files.createDirectories(dir.resolve("codex"));
        Files.writeString(codex.resolve("config.toml"), configToml);
        return codex;
    }

    private Run doctor(Path config, Path codex, String... more) {
        String[] base = {"doctor", "--config", config.toString(), "--codex-home", codex.toString()};
        String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return TandemCli.tandem(args);
    }

    private static int freePort() throws Exception {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return free.getLocalPort();
        }
    }

    private Path token(String mode) throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "t".repeat(43));
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString(mode));
        return token;
    }

    @Test
    void healthyHomeExitsZeroWithOneOkLinePerCheck() throws Exception {
        try (TestHub hub = TestHub.start(dir.resolve("hub"), "[memory]\nhost = \"box\"\n", null)) {
            Run run = doctor(config(hub.port(), hub.config().tokenFile()), codexHome("[features]\nmemories = false\n"));
            assertEquals(0, run.exit(), run.out() + run.err());
            assertEquals(4, run.out().lines().count(), run.out());
            assertTrue(run.out().lines().allMatch(l -> l.startsWith("ok ")), run.out());
            assertTrue(run.out().contains("answers MCP initialize"), run.out());
            assertFalse(run.out().contains(hub.token()), "the token is never printed");
        }
    }

    @Test
    void tokenReadableByOthersFailsWithTheChmodFix() throws Exception {
        Path token = token("rw-r--r--");
        Run run = doctor(config(freePort(), token), codexHome(""));
        assertEquals(2, run.exit(), run.out() + run.err());
        assertTrue(
                run.out().lines().anyMatch(l -> l.startsWith("fail token") && l.contains("fix: chmod 600 " + token)),
                run.out());
    }

    @Test
    void stoppedHubFailsNamingThePortAndTandemServe() throws Exception {
        int port = freePort();
        Run run = doctor(config(port, token("rw-------")), codexHome(""));
        assertEquals(2, run.exit(), run.out() + run.err());
        String hubLine = run.out()
                .lines()
                .filter(l -> l.startsWith("fail hub"))
                .findFirst()
                .orElseThrow();
        assertTrue(hubLine.contains(String.valueOf(port)) && hubLine.contains("fix: start it: tandem serve"), hubLine);
    }

    @Test
    void codexMemoriesFeatureWarnsAndExitsOne() throws Exception {
        try (TestHub hub = TestHub.start(dir.resolve("hub"), "[memory]\nhost = \"box\"\n", null)) {
            Path codex = codexHome("model = \"x\"\n[features]\nmemories = true\n");
            Run run = doctor(config(hub.port(), hub.config().tokenFile()), codex);
            assertEquals(1, run.exit(), run.out() + run.err());
            assertTrue(
                    run.out()
                            .lines()
                            .anyMatch(l -> l.startsWith("warn codex-memory")
                                    && l.contains(
                                            "memories = false under [features] in " + codex.resolve("config.toml"))),
                    run.out());
        }
    }

    @Test
    void jsonListsEveryCheckWithStatusAndFix() throws Exception {
        Run run = doctor(config(freePort(), token("rw-r-----")), codexHome(""), "--json");
        assertEquals(2, run.exit(), run.err());
        JsonNode rows = Json.mapper().readTree(run.out());
        assertEquals(4, rows.size(), run.out());
        assertEquals("token", rows.get(1).path("check").asString());
        assertEquals("fail", rows.get(1).path("status").asString());
        assertTrue(rows.get(1).path("fix").asString().startsWith("chmod 600 "), run.out());
    }
}
