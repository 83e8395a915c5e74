package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.config.TokenFile;
import dev.tandem.hub.auth.LiveToken;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tandem token --rotate} while the hub runs: no restart, and the old token is refused at once. One follower per
 * credential file serves the whole hub (its {@code /mcp} edge and the jobs it runs), so a change is logged once.
 */
class TokenRotationTest {
    @TempDir
    Path dir;

    private static int initialize(TestHub hub, String token) {
        return RawHttp.send(hub.port(), "POST", "/mcp", McpHttp.headers(token), McpHttp.initialize("2025-06-18"))
                .status();
    }

    @Test
    void rotatedTokenWorksWithoutRestartAndTheOldOneIsRefusedAtOnce() {
        try (TestHub hub = TestHub.start(dir, List.of())) {
            String old = hub.token();
            assertEquals(200, initialize(hub, old));
            String rotated = new TokenFile(hub.config().tokenFile()).rotate();
            assertNotEquals(old, rotated);
            assertEquals(401, initialize(hub, old), "the old token must stop working with the next request");
            assertEquals(200, initialize(hub, rotated), "the new token works without a restart");
        }
    }

    @Test
    void tokenFileMadeReadableByOthersLetsNoTokenIn() throws Exception {
        try (TestHub hub = TestHub.start(dir, List.of())) {
            Path file = hub.config().tokenFile();
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            assertEquals(401, initialize(hub, hub.token()));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            assertEquals(200, initialize(hub, hub.token()));
        }
    }

    /** What the token files' followers log while {@code run} runs (java.util.logging, as the hub's log gets it). */
    private static List<String> logged(Logged.Run run) throws Exception {
        return Logged.messages(LiveToken.class, Level.ALL, run);
    }

    private static long changedLines(List<String> log, Path file) {
        return log.stream()
                .filter(l -> l.startsWith(file + ": token file changed"))
                .count();
    }

    @Test
    void aRotationIsLoggedOnceThoughTheJobsUseTheTokenToo() throws Exception {
        Path codex = Files.createDirectories(dir.resolve("bin")).resolve("codex");
        Files.writeString(codex, "#!/bin/sh\nexit 3\n");
        codex.toFile().setExecutable(true, true);
        String toml = "[memory]\nhost = \"box\"\n\n[jobs]\ncodex = \"" + codex + "\"\n";
        try (TestHub hub = TestHub.start(dir, toml, null)) {
            Path file = hub.config().tokenFile();
            List<String> log = logged(() -> {
                String rotated = new TokenFile(file).rotate();
                assertEquals(200, initialize(hub, rotated));
                // a job's engine process is handed the token as its file holds it now
                McpSchema.CallToolResult started = hub.client("tester")
                        .callTool(McpSchema.CallToolRequest.builder("job_start")
                                .arguments(Map.of("engine", "codex", "prompt", "hello"))
                                .build());
                assertFalse(started.isError(), () -> started.content().toString());
            });
            assertEquals(1, changedLines(log, file), () -> "one line for one rotation: " + log);
        }
    }

    @Test
    void engineCredentialsPresentAtStartAreNotLoggedAsChanged() throws Exception {
        try (TestHub first = TestHub.start(dir, List.of())) {
            // the harness makes the engines' credential files, as push-runtime does
            assertEquals(200, initialize(first, first.token()));
        }
        List<String> log = logged(() -> {
            try (TestHub again = TestHub.start(dir, List.of())) {
                assertEquals(200, initialize(again, again.token("codex")));
            }
        });
        assertTrue(log.stream().noneMatch(l -> l.contains("token file changed")), () -> log.toString());
    }
}
