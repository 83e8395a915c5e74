package dev.tandem.sync.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.fleet.HostKey;
import dev.tandem.sync.engine.Drift;
import dev.tandem.sync.engine.InputException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/**
 * An engine's key path that is not a regular file (a folder, a FIFO, a dangling link) stops the plan with a message
 * naming the path, what it is and how to put it right, never blocking on a FIFO and never showing a key.
 */
class EngineKeyFilesTest {
    @TempDir
    Path dir;

    private Path tandemDir;
    private String hostKey;
    private FleetWiring wiring;

    @BeforeEach
    void enrol() throws IOException {
        tandemDir = Files.createDirectories(dir.resolve(".tandem"));
        hostKey = HostKey.issue().key();
        Path keyFile = Files.writeString(
                Files.createDirectories(tandemDir.resolve("fleet")).resolve("host.key"), hostKey + "\n");
        wiring = FleetWiring.of("https://hub.example:8443", keyFile, Optional.empty());
    }

    private Path claudeKey() throws IOException {
        return Files.createDirectories(tandemDir.resolve("fleet/keys")).resolve("claude");
    }

    /** Returns the message keyDrift refuses with, failing the test if it blocks for a minute. */
    private String refusal(Path keyPath) {
        InputException e = assertTimeoutPreemptively(
                Duration.ofSeconds(60),
                () -> assertThrows(InputException.class, () -> wiring.keyDrift(tandemDir, List.of("codex", "claude"))),
                "blocked on " + keyPath);
        String message = e.getMessage();
        assertTrue(message.startsWith(keyPath + ": is "), message);
        assertTrue(message.contains("not a regular file"), message);
        assertTrue(message.endsWith("; move it away and push-runtime --from writes the engine's key there"), message);
        assertFalse(message.contains(hostKey) || message.contains(HostKey.engineKey(hostKey, "claude")), message);
        return message;
    }

    @Test
    void aKeyPathThatIsAFolderIsRefusedNamingItAndTheFolder() throws IOException {
        Path key = Files.createDirectory(claudeKey());
        assertTrue(refusal(key).contains(": is a directory, not a regular file"));
        assertTrue(Files.isDirectory(key), "the folder is left as it was");
    }

    @Test
    void aKeyPathThatIsAFifoIsRefusedWithoutOpeningIt() throws Exception {
        Path key = claudeKey();
        Process p = new ProcessBuilder("mkfifo", key.toString()).inheritIO().start();
        assertEquals(0, p.waitFor(), "mkfifo");
        try {
            assertTrue(refusal(key).contains(": is a FIFO, not a regular file"));
        } catch (AssertionFailedError e) {
            // a reader blocked on the FIFO gets end of file once a writer opens and closes it
            Thread unblock = new Thread(() -> {
                try (OutputStream out = Files.newOutputStream(key)) {
                    out.flush();
                } catch (IOException ignored) {
                    // the reader is released either way
                }
            });
            unblock.setDaemon(true);
            unblock.start();
            throw e;
        }
    }

    @Test
    void aKeyPathThatIsADanglingLinkIsRefusedNamingWhereItPoints() throws IOException {
        Path gone = dir.resolve("moved-away/claude");
        Path key = Files.createSymbolicLink(claudeKey(), gone);
        assertTrue(refusal(key).contains(": is a symlink to " + gone + ", which does not exist, not a regular file"));
        assertTrue(Files.isSymbolicLink(key), "the link is left as it was");
    }

    @Test
    void keyFilesInPlaceAreInSync() {
        wiring.writeKeys(tandemDir, List.of("codex", "claude"));
        assertEquals(List.of(), wiring.keyDrift(tandemDir, List.of("codex", "claude")));
    }

    /** A key file as push may find it: a link or not, its text and its mode. */
    private record KeyFileState(boolean link, String text, String mode) {
        static KeyFileState of(Path file) throws IOException {
            return new KeyFileState(
                    Files.isSymbolicLink(file),
                    Files.readString(file),
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
    }

    /**
     * One decision for check-sync and push: a key file is drift exactly when push changes it (its text, its mode, or
     * a link put in its place), and once push has run it is none.
     */
    @Test
    void aKeyFileIsDriftExactlyWhenPushChangesIt() throws IOException {
        String key = HostKey.engineKey(hostKey, "claude");
        Path elsewhere = dir.resolve("kept-elsewhere");
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("the key as push writes it", key + "\n");
        cases.put("the key without its newline", key);
        cases.put("the key with a carriage return", key + "\r\n");
        cases.put("the key after a blank line", "\n" + key + "\n");
        cases.put("another key", HostKey.engineKey(hostKey, "codex") + "\n");
        cases.put("the key others may read", key + "\n");
        cases.put("a link to the key", key + "\n");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path file = claudeKey();
            Files.deleteIfExists(file);
            if (c.getKey().startsWith("a link")) {
                Files.writeString(elsewhere, c.getValue());
                Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rw-------"));
                Files.createSymbolicLink(file, elsewhere);
            } else {
                Files.writeString(file, c.getValue());
                Files.setPosixFilePermissions(
                        file,
                        PosixFilePermissions.fromString(c.getKey().contains("others") ? "rw-r--r--" : "rw-------"));
            }
            List<Drift> drift = wiring.keyDrift(tandemDir, List.of("claude"));
            KeyFileState before = KeyFileState.of(file);
            wiring.writeKeys(tandemDir, List.of("claude"));
            boolean changed = !before.equals(KeyFileState.of(file));
            assertEquals(changed, !drift.isEmpty(), c.getKey() + ": changed " + changed + ", drift " + drift);
            assertEquals(List.of(), wiring.keyDrift(tandemDir, List.of("claude")), c.getKey() + " after push");
            assertFalse(drift.toString().contains(key), "a key was shown");
        }
    }

    /**
     * docs/sync.md: push "replaces a key file that is a link with a file of its own", and writeKeys does; but a link
     * to an owner-only file holding the right key is no drift, so check-sync says in sync and push plans nothing.
     */
    @Test
    void aKeyFileThatIsALinkToTheRightOwnerOnlyKeyIsDriftThatPushReplaces() throws IOException {
        Path elsewhere = Files.writeString(dir.resolve("kept-elsewhere"), HostKey.engineKey(hostKey, "claude") + "\n");
        Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rw-------"));
        wiring.writeKeys(tandemDir, List.of("codex"));
        Path key = Files.createSymbolicLink(claudeKey(), elsewhere);
        List<Drift> drift = wiring.keyDrift(tandemDir, List.of("codex", "claude"));
        assertEquals(1, drift.size(), "the link is drift: " + drift);
        assertEquals(key, drift.get(0).file());
        assertEquals("a symbolic link", drift.get(0).actual());
        wiring.writeKeys(tandemDir, List.of("codex", "claude"));
        assertFalse(Files.isSymbolicLink(key), "push writes a file of its own");
        assertEquals(HostKey.engineKey(hostKey, "claude") + "\n", Files.readString(key));
        assertEquals(HostKey.engineKey(hostKey, "claude") + "\n", Files.readString(elsewhere), "the target stays");
        assertEquals(List.of(), wiring.keyDrift(tandemDir, List.of("codex", "claude")));
    }
}
