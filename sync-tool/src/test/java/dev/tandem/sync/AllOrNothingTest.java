package dev.tandem.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sync run is all or nothing: when a write fails after other files were prepared or already replaced, every
 * file is left as it was (replaced ones put back, created ones and the folders made for them removed).
 */
class AllOrNothingTest {
    @TempDir
    Path dir;

    /** A home where the first files of a push are new and later ones (the Claude side) exist already. */
    private Sandbox personsHome() {
        Sandbox s = new Sandbox(dir);
        s.write(s.claude("CLAUDE.md"), "# My rules\n\nBe terse.\n");
        s.write(s.home.resolve(".claude.json"), "{\n  \"numStartups\": 3\n}\n");
        return s;
    }

    private static boolean root(Path somewhere) throws IOException {
        Path probe = Files.createTempFile(somewhere, "uid", "");
        try {
            return ((Integer) Files.getAttribute(probe, "unix:uid")) == 0;
        } finally {
            Files.delete(probe);
        }
    }

    /**
     * Makes {@code path} unwritable until closed: {@code chmod a-w} for a normal user; for root, whom permissions do
     * not stop, the immutable attribute ({@code chattr +i}), and the test is skipped where that is not possible.
     */
    private static AutoCloseable unwritable(Path path) throws Exception {
        if (!root(path.getParent())) {
            Set<PosixFilePermission> was = Files.getPosixFilePermissions(path);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("r-xr-xr-x"));
            return () -> Files.setPosixFilePermissions(path, was);
        }
        Assumptions.assumeTrue(chattr("+i", path), "as root this needs chattr +i, which this file system refuses");
        return () -> chattr("-i", path);
    }

    private static boolean chattr(String flag, Path path) throws IOException, InterruptedException {
        try {
            Process p = new ProcessBuilder("chattr", flag, path.toString())
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> folders(Path home) throws IOException {
        try (Stream<Path> s = Files.walk(home)) {
            return s.filter(Files::isDirectory)
                    .map(p -> home.relativize(p).toString())
                    .filter(p -> !p.startsWith(".tandem"))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void aFolderThatCannotBeWrittenLeavesEveryFileAsItWas() throws Exception {
        Sandbox s = personsHome();
        Map<String, String> before = s.snapshot();
        List<String> foldersBefore = folders(s.home);
        AutoCloseable unlock = unwritable(s.claude(""));
        Sandbox.Result r;
        try {
            r = s.run("push-runtime");
        } finally {
            unlock.close();
        }
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.err().contains("tandem: " + s.claude("")), r.err());
        assertEquals(before, s.snapshot());
        assertEquals(foldersBefore, folders(s.home));
        assertFalse(Files.exists(s.codex("")), "the folders made for new files are gone again");
        assertEquals(0, s.run("push-runtime").exit());
        assertTrue(s.read(s.claude("CLAUDE.md")).startsWith("# My rules\n\nBe terse.\n<!-- tandem:base:start -->"));
    }

    @Test
    void aReplaceThatFailsAfterOthersPutsThoseBack() throws Exception {
        Sandbox s = personsHome();
        Map<String, String> before = s.snapshot();
        Assumptions.assumeTrue(root(dir), "only root can make a file refuse a rename in a writable folder");
        // CLAUDE.md itself refuses the rename over it; by then the Codex files and the helper are in place
        AutoCloseable unlock = unwritable(s.claude("CLAUDE.md"));
        Sandbox.Result r;
        try {
            r = s.run("push-runtime");
        } finally {
            unlock.close();
        }
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.err().contains("tandem: " + s.claude("CLAUDE.md") + ": cannot write"), r.err());
        assertTrue(r.err().contains("every file was put back as it was"), r.err());
        assertEquals(before, s.snapshot());
        assertFalse(Files.exists(s.codex("")), "created files and their folders are gone again");
        assertFalse(Files.exists(s.home.resolve(".tandem/manifest.json")));
    }

    @Test
    void aBackupThatCannotBeSavedLeavesEveryFileAsItWas() {
        Sandbox s = personsHome();
        s.write(s.home.resolve(".tandem/backups"), "a file where the backups folder should be\n");
        Map<String, String> before = s.snapshot();
        Sandbox.Result r = s.run("push-runtime");
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.err().contains(s.home.resolve(".tandem/backups").toString()), r.err());
        assertEquals(before, s.snapshot());
        assertFalse(Files.exists(s.codex("")));
    }
}
