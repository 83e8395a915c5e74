package dev.tandem.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/**
 * Sync reads and writes regular files only: a target or source that is (or links to) a FIFO, a socket, a device, a
 * directory, nothing, or a link loop stops the command with exit 2 naming it, nothing written and nothing blocked.
 * Devices are only ever read here (check-sync through a link to {@code /dev/null}); no test writes a {@code /dev}
 * node.
 */
class NonRegularFileTest {
    @TempDir
    Path dir;

    private static Path fifo(Path path) throws IOException, InterruptedException {
        Files.createDirectories(path.getParent());
        Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assertEquals(0, p.waitFor(), "mkfifo");
        return path;
    }

    /** Runs the sandbox's CLI; a run still blocked after a minute fails the test, and its FIFO is unblocked. */
    private static Sandbox.Result runNearFifo(Sandbox s, Path fifo, String... args) {
        try {
            return assertTimeoutPreemptively(Duration.ofSeconds(60), () -> s.run(args), "blocked on " + fifo);
        } catch (AssertionFailedError e) {
            Thread unblock = new Thread(() -> {
                try (OutputStream out = Files.newOutputStream(fifo)) {
                    out.flush();
                } catch (IOException ignored) {
                    // the blocked reader gets end of file either way
                }
            });
            unblock.setDaemon(true);
            unblock.start();
            throw e;
        }
    }

    private static void assertRefused(Sandbox.Result r, Path path, String kind) {
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().startsWith("tandem: " + path + ": "), r.err());
        assertTrue(r.err().contains(kind), r.err());
        assertTrue(r.err().contains("not a regular file"), r.err());
    }

    private static boolean isFifoOrSocket(Path p) throws IOException {
        return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                .isOther();
    }

    @Test
    void configTomlLinkedToAFifoIsRefusedWithoutBlockingAndNothingIsWritten() throws Exception {
        Sandbox s = new Sandbox(dir);
        Path fifo = fifo(dir.resolve("elsewhere/pipe"));
        Files.createDirectories(s.codex(""));
        Files.createSymbolicLink(s.codex("config.toml"), fifo);
        Map<String, String> before = s.snapshot();
        Sandbox.Result r = runNearFifo(s, fifo, "push-runtime");
        assertRefused(r, s.codex("config.toml"), "a FIFO");
        assertEquals(before, s.snapshot());
        assertTrue(Files.isSymbolicLink(s.codex("config.toml")));
        assertTrue(isFifoOrSocket(fifo), "the FIFO is still a FIFO");
    }

    @Test
    void claudeJsonThatIsAFifoIsRefusedWithoutBlocking() throws Exception {
        Sandbox s = new Sandbox(dir);
        Path fifo = fifo(s.home.resolve(".claude.json"));
        Sandbox.Result r = runNearFifo(s, fifo, "check-sync");
        assertRefused(r, fifo, "a FIFO");
        assertTrue(isFifoOrSocket(fifo));
    }

    @Test
    void sourceFragmentLinkedToAFifoIsRefusedWithoutBlocking() throws Exception {
        Sandbox s = new Sandbox(dir);
        Path fifo = fifo(dir.resolve("pipe"));
        Path fragment = s.repo.resolve("clients/codex/config-fragment.toml");
        Files.delete(fragment);
        Files.createSymbolicLink(fragment, fifo);
        Map<String, String> before = s.snapshot();
        assertRefused(runNearFifo(s, fifo, "push-runtime"), fragment, "a FIFO");
        assertEquals(before, s.snapshot());
    }

    @Test
    void agentsMdLinkedToASocketIsRefusedAndTheSocketStays() throws Exception {
        Sandbox s = new Sandbox(dir);
        Path socket = dir.resolve("sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Files.createDirectories(s.codex(""));
            Files.createSymbolicLink(s.codex("AGENTS.md"), socket);
            Map<String, String> before = s.snapshot();
            assertRefused(s.run("push-runtime"), s.codex("AGENTS.md"), "a socket");
            assertEquals(before, s.snapshot());
            assertTrue(isFifoOrSocket(socket), "the socket is still a socket");
        }
    }

    @Test
    void checkSyncRefusesConfigTomlLinkedToADevice() throws Exception {
        Sandbox s = new Sandbox(dir);
        Files.createDirectories(s.codex(""));
        // read-only use of a real device: check-sync never writes
        Files.createSymbolicLink(s.codex("config.toml"), Path.of("/dev/null"));
        assertRefused(s.run("check-sync"), s.codex("config.toml"), "a character device");
    }

    @Test
    void claudeMdLinkedToADirectoryIsRefused() throws Exception {
        Sandbox s = new Sandbox(dir);
        Path folder = Files.createDirectories(dir.resolve("a-folder"));
        Files.createDirectories(s.claude(""));
        Files.createSymbolicLink(s.claude("CLAUDE.md"), folder);
        Map<String, String> before = s.snapshot();
        assertRefused(s.run("push-runtime"), s.claude("CLAUDE.md"), "a directory");
        assertEquals(before, s.snapshot());
    }

    @Test
    void danglingLinkIsRefusedAndNothingIsWritten() throws Exception {
        Sandbox s = new Sandbox(dir);
        Files.createDirectories(s.claude(""));
        Files.createSymbolicLink(s.claude("settings.json"), dir.resolve("nowhere/settings.json"));
        Map<String, String> before = s.snapshot();
        assertRefused(s.run("push-runtime"), s.claude("settings.json"), "does not exist");
        assertEquals(before, s.snapshot());
        assertTrue(Files.notExists(s.codex("config.toml")));
        assertTrue(Files.notExists(dir.resolve("nowhere")));
    }

    @Test
    void linkLoopIsRefused() throws Exception {
        Sandbox s = new Sandbox(dir);
        Files.createDirectories(s.codex(""));
        Files.createSymbolicLink(s.codex("config.toml"), s.codex("loop.toml"));
        Files.createSymbolicLink(s.codex("loop.toml"), s.codex("config.toml"));
        Map<String, String> before = s.snapshot();
        assertRefused(s.run("push-runtime"), s.codex("config.toml"), "a symlink loop");
        assertEquals(before, s.snapshot());
    }

    @Test
    void chainOfLinksToARegularFileIsWrittenThroughAndTheLinksStay() throws Exception {
        Sandbox s = new Sandbox(dir);
        Path real = s.write(dir.resolve("dotfiles/codex.toml"), "model = \"o3\"\n");
        Files.createSymbolicLink(dir.resolve("dotfiles/current.toml"), Path.of("codex.toml"));
        Files.createDirectories(s.codex(""));
        Files.createSymbolicLink(s.codex("config.toml"), dir.resolve("dotfiles/current.toml"));
        assertEquals(0, s.run("push-runtime").exit());
        assertTrue(Files.isSymbolicLink(s.codex("config.toml")));
        assertTrue(Files.isSymbolicLink(dir.resolve("dotfiles/current.toml")));
        assertTrue(s.read(real).startsWith("model = \"o3\"\n"), s.read(real));
        assertTrue(s.read(real).contains("[mcp_servers.tandem]"), s.read(real));
        assertEquals(0, s.run("check-sync").exit());
    }

    @Test
    void claudeMdLinkedToAgentsMdIsRefusedAsOneFileForTwoTargets() throws Exception {
        Sandbox s = new Sandbox(dir);
        Path agents = s.write(s.codex("AGENTS.md"), "# Shared rules\n");
        Files.createDirectories(s.claude(""));
        Files.createSymbolicLink(s.claude("CLAUDE.md"), agents);
        Map<String, String> before = s.snapshot();
        Sandbox.Result r = s.run("push-runtime");
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.err().contains("tandem: " + s.claude("CLAUDE.md") + ": is the same file as " + agents), r.err());
        assertEquals(before, s.snapshot());
    }
}
