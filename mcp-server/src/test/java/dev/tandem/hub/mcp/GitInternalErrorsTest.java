package dev.tandem.hub.mcp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged repository (a missing object, a corrupt index) makes JGit throw unchecked exceptions; each must reach
 * the model as a one-line {@code isError} result naming the folder, not as a JSON-RPC internal error.
 */
class GitInternalErrorsTest {
    @TempDir
    Path dir;

    private GitFixture f;
    private RevCommit first;

    @BeforeEach
    void setUp() throws Exception {
        f = new GitFixture(dir);
        f.write("a.txt", "one\n");
        first = f.commitAll("first");
        f.write("a.txt", "two\n");
        f.commitAll("second");
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private Path looseObject(ObjectId id) {
        return f.work.resolve(
                ".git/objects/" + id.name().substring(0, 2) + "/" + id.name().substring(2));
    }

    @Test
    void logOfAHistoryWithAMissingCommitIsAToolError() throws Exception {
        Files.delete(looseObject(first.getId()));
        f.start();
        String message = f.error("git_log", Map.of("dir", "proj"));
        assertTrue(message.contains("'proj'"), message);
    }

    @Test
    void statusOfACorruptIndexIsAToolError() throws Exception {
        Files.writeString(f.work.resolve(".git/index"), "DIRC garbage that is no index");
        f.start();
        String message = f.error("git_status", Map.of("dir", "proj"));
        assertTrue(message.contains("'proj'"), message);
    }

    @Test
    void commitOnACorruptIndexIsAToolError() throws Exception {
        Files.writeString(f.work.resolve(".git/index"), "DIRC garbage that is no index");
        f.start();
        String message = f.error("git_commit", Map.of("dir", "proj", "message", "m"));
        assertTrue(message.contains("'proj'"), message);
    }

    @Test
    void diffOfACorruptObjectIsAToolError() throws Exception {
        Path blob = looseObject(f.git.getRepository().resolve(first.name() + ":a.txt"));
        blob.toFile().setWritable(true);
        Files.write(blob, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        f.start();
        String message =
                f.error("git_diff", Map.of("dir", "proj", "mode", "revisions", "from", first.name(), "to", "HEAD"));
        assertTrue(message.contains("'proj'"), message);
    }
}
