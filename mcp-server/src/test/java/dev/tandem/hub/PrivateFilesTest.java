package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Other local users read nothing of Tandem's: {@code ~/.tandem} is 0700 and every file in it 0600. */
class PrivateFilesTest {
    @TempDir
    Path dir;

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void tandemFolderDataFolderAndTheMemoryDatabaseWithItsWalAndShmAreOwnerOnly() throws IOException {
        try (TestHub hub = TestHub.start(dir)) {
            var client = hub.client("claude-code");
            McpSchema.CallToolResult r = MemoryToolsTest.call(
                    client, "memory_store", Map.of("content", "the deploy key lives in the vault"));
            assertTrue(r.isError() == null || !r.isError(), r.toString());
            Path tandem = dir.resolve("home/.tandem");
            Path db = hub.config().dataDir().resolve("memory.db");
            assertTrue(Files.exists(Path.of(db + "-wal")), "WAL mode keeps a -wal file while open");
            assertEquals("rwx------", mode(tandem));
            assertEquals("rwx------", mode(hub.config().dataDir()));
            for (Path f : List.of(
                    db, Path.of(db + "-wal"), Path.of(db + "-shm"), hub.config().tokenFile())) {
                assertEquals("rw-------", mode(f), f.toString());
            }
        }
    }

    @Test
    void foldersAndDatabaseLeftOpenByAnOlderTandemAreTightenedAtStart() throws IOException {
        Path tandem = Files.createDirectories(dir.resolve("home/.tandem/data"));
        Path db = tandem.resolve("memory.db");
        Files.createFile(db);
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(tandem, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(tandem.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        try (TestHub hub = TestHub.start(dir)) {
            assertEquals(db, hub.config().dataDir().resolve("memory.db"));
            try (Stream<Path> all = Files.walk(dir.resolve("home/.tandem"))) {
                for (Path p : all.toList()) {
                    assertEquals(Files.isDirectory(p) ? "rwx------" : "rw-------", mode(p), p.toString());
                }
            }
        }
    }
}
