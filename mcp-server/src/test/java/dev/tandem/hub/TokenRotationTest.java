package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.tandem.core.config.TokenFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tandem token --rotate} while the hub runs: no restart, and the old token is refused at once. */
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
}
