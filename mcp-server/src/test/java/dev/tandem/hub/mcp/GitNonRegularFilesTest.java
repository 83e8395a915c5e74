package dev.tandem.hub.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.hub.RawHttp;
import java.io.FileOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A FIFO or a socket in a work tree must never be opened by the git tools (opening a FIFO blocks until a writer
 * comes): like git, untracked ones are not listed or committed, a tracked file replaced by one shows as modified
 * and is refused by name, and the hub keeps answering.
 */
class GitNonRegularFilesTest {
    /** Generous: only a hang, never slowness, can exceed it. */
    private static final Duration HANG = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private GitFixture f;
    private final List<Path> fifos = new ArrayList<>();
    private ServerSocketChannel socket;

    @BeforeEach
    void setUp() throws Exception {
        f = new GitFixture(dir);
        f.write("a.txt", "a\n");
        f.write("sub/empty.txt", "");
        f.commitAll("first");
    }

    @AfterEach
    void tearDown() throws IOException {
        // release any reader still blocked on a FIFO, so a failing run does not hang the suite
        for (Path fifo : fifos) {
            Thread.ofPlatform().daemon().start(() -> {
                try (FileOutputStream out = new FileOutputStream(fifo.toFile())) {
                    out.write('x');
                } catch (IOException e) {
                    // gone already
                }
            });
        }
        if (socket != null) {
            socket.close();
        }
        f.close();
    }

    private Path mkfifo(String name) throws Exception {
        Path p = f.work.resolve(name);
        Files.createDirectories(p.getParent());
        Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assertEquals(0, mk.waitFor());
        fifos.add(p);
        return p;
    }

    private void unixSocket(String name) throws IOException {
        socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        socket.bind(UnixDomainSocketAddress.of(f.work.resolve(name)));
    }

    private void assertHubAnswers() {
        assertEquals(
                200,
                RawHttp.send(f.hub().port(), "GET", "/health", Map.of(), null).status());
    }

    @Test
    void untrackedFifoAndSocketAreSkippedByStatusDiffAndCommit() throws Exception {
        mkfifo("pipe");
        mkfifo("deep/er/pipe");
        unixSocket("server.sock");
        f.write("a.txt", "changed\n");
        f.start();
        assertTimeoutPreemptively(HANG, () -> {
            Map<String, Object> s = f.ok("git_status", Map.of("dir", "proj"));
            assertEquals(List.of(), s.get("untracked"), "git lists no FIFOs or sockets");
            f.ok("git_diff", Map.of("dir", "proj"));
            f.ok("git_commit", Map.of("dir", "proj", "message", "change a"));
        });
        assertHubAnswers();
        assertTrue(f.git.status().call().getUncommittedChanges().isEmpty());
        assertFalse(committed("pipe"), "a FIFO was committed");
        assertFalse(committed("server.sock"), "a socket was committed");
    }

    @Test
    void aTrackedFileReplacedByAFifoShowsModifiedAndIsRefusedByName() throws Exception {
        ObjectId before = head();
        Files.delete(f.work.resolve("sub/empty.txt"));
        mkfifo("sub/empty.txt");
        f.start();
        assertTimeoutPreemptively(HANG, () -> {
            Map<String, Object> s = f.ok("git_status", Map.of("dir", "proj"));
            assertEquals(List.of(Map.of("path", "sub/empty.txt", "change", "modified")), s.get("unstaged"));
            String diff = f.error("git_diff", Map.of("dir", "proj"));
            assertTrue(diff.contains("sub/empty.txt"), diff);
            String commit = f.error("git_commit", Map.of("dir", "proj", "message", "m"));
            assertTrue(commit.contains("sub/empty.txt") && commit.contains("not a regular file"), commit);
        });
        assertHubAnswers();
        assertEquals(before, head());
    }

    /**
     * Git data that is a FIFO (an agent with a job's shell can make one): JGit would open it as a file and wait for a
     * writer forever, holding the tool's thread. Each is refused by name before JGit reads anything.
     */
    @Test
    void gitDataThatIsAFifoIsRefusedByNameNeverOpened() throws Exception {
        f.start();
        for (String name :
                List.of(".git/packed-refs", ".git/HEAD", ".git/refs/heads/other", ".git/objects/info/alternates")) {
            Path p = f.work.resolve(name);
            Path kept = dir.resolve("kept");
            boolean existed = Files.exists(p);
            if (existed) {
                Files.move(p, kept);
            }
            mkfifo(name);
            try {
                for (String tool : List.of("git_status", "git_log")) {
                    String e = assertTimeoutPreemptively(HANG, () -> f.error(tool, Map.of("dir", "proj")));
                    assertTrue(
                            e.contains(Path.of(name).getFileName().toString())
                                    && (e.contains("not a regular file") || e.contains("FIFO")),
                            () -> name + " via " + tool + ": " + e);
                }
            } finally {
                Files.delete(p);
                fifos.remove(p);
                if (existed) {
                    Files.move(kept, p);
                }
            }
        }
        assertHubAnswers();
        f.ok("git_status", Map.of("dir", "proj"));
    }

    @Test
    void everyCallReturnsWhileAFifoSitsInAnUntrackedFolder() throws Exception {
        mkfifo("tmp/run/app.fifo");
        f.write("b.txt", "new\n");
        f.start();
        assertTimeoutPreemptively(HANG, () -> {
            for (int i = 0; i < 3; i++) {
                f.ok("git_status", Map.of("dir", "proj"));
            }
            f.ok("git_commit", Map.of("dir", "proj", "message", "add b"));
        });
        assertHubAnswers();
        assertTrue(committed("b.txt"));
        assertFalse(committed("tmp/run/app.fifo"), "a FIFO was committed");
    }

    private boolean committed(String path) throws IOException {
        org.eclipse.jgit.lib.Repository repo = f.git.getRepository();
        try (org.eclipse.jgit.treewalk.TreeWalk walk = org.eclipse.jgit.treewalk.TreeWalk.forPath(
                repo, path, repo.parseCommit(head()).getTree())) {
            return walk != null;
        }
    }

    private ObjectId head() throws IOException {
        return f.git.getRepository().resolve("HEAD");
    }
}
