package dev.tandem.hub.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent can write {@code .gitignore} and {@code .gitattributes} files and, through a job, a repository's config;
 * none of it may keep a git tool busy past a bounded wait or make it read a FIFO or {@code /dev/zero}. Each wait
 * here is generous (30 s): before the fix these calls ran for hours, or forever.
 */
class GitBoundedRulesTest {
    /** A segment JGit matches through a backtracking regular expression, in time growing as 200^14. */
    private static final String EVIL = "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b";

    private static final String LONG_NAME = "a".repeat(200);
    private static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private GitFixture f;

    @BeforeEach
    void setUp() throws Exception {
        f = new GitFixture(dir);
        f.write("a.txt", "a\n");
        f.commitAll("first");
    }

    @AfterEach
    void tearDown() {
        if (f != null) {
            f.close();
        }
    }

    @SuppressWarnings("unchecked")
    private List<String> untracked() {
        return assertTimeoutPreemptively(BOUND, () ->
                (List<String>) f.ok("git_status", Map.of("dir", "proj")).get("untracked"));
    }

    private String errorOf(String tool, Map<String, Object> args) {
        return assertTimeoutPreemptively(BOUND, () -> f.error(tool, args));
    }

    @Test
    void aGitignoreRuleWithTooManyWildcardsRefusesStatusPromptlyNamingFileAndLine() {
        f.write(".gitignore", "skip.log\n" + EVIL + "\n");
        f.write(LONG_NAME, "x");
        f.start();
        String e = errorOf("git_status", Map.of("dir", "proj"));
        assertTrue(e.contains(".gitignore line 2") && e.contains("bounded time"), e);
    }

    @Test
    void anInfoExcludeRuleWithTooManyWildcardsIsRefusedToo() throws Exception {
        info("exclude", EVIL + "\n");
        f.write(LONG_NAME, "x");
        f.start();
        String e = errorOf("git_status", Map.of("dir", "proj"));
        assertTrue(e.contains("info/exclude line 1"), e);
    }

    @Test
    void anExcludesFileRuleWithTooManyWildcardsIsRefusedToo() throws Exception {
        Path excludes = dir.resolve("excludes");
        Files.writeString(excludes, "# mine\n" + EVIL + "\n");
        f.appendConfig("[core]\n\texcludesFile = " + excludes + "\n");
        f.write(LONG_NAME, "x");
        f.start();
        String e = errorOf("git_status", Map.of("dir", "proj"));
        assertTrue(e.contains(excludes + " line 2"), e);
    }

    /**
     * A rule the git tools cannot match in bounded time refuses the commit: left out, it would have {@code git_commit}
     * record the files it ignores ({@code *secret*.*}: three runs of {@code *}, as a person may well write).
     */
    @Test
    void aCommitIsRefusedRatherThanRecordingWhatAnUnmatchableRuleIgnores() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/git")), "git is not installed");
        f.write(".gitignore", "*secret*.*\n");
        f.write("my_secret.txt", "hunter2\n");
        f.write("ok.txt", "ok\n");
        f.write("sub/" + LONG_NAME, "x");
        f.start();
        String e = errorOf("git_commit", Map.of("dir", "proj", "message", "m"));
        assertTrue(e.contains(".gitignore line 1"), e);
        String tree = headTree();
        assertFalse(tree.contains("my_secret.txt"), tree);
        assertFalse(tree.contains("ok.txt"), () -> "nothing was committed: " + tree);
    }

    @Test
    void aNestedGitignoreLargerThanTheLimitRefusesTheCommit() {
        f.write("sub/.gitignore", "#".repeat(1024 * 1024) + "\nsecret.txt\n");
        f.write("sub/secret.txt", "x");
        f.start();
        String e = errorOf("git_commit", Map.of("dir", "proj", "message", "m"));
        assertTrue(e.contains("sub/.gitignore") && e.contains("larger than"), e);
    }

    @Test
    void ignoreRulesMeanWhatTheyMeanToGit() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/git")), "git is not installed");
        f.write(".gitignore", "*.log\n/build/\n!keep.log\ndocs/**/*.tmp\nnested/\n");
        f.write("sub/.gitignore", "local.txt\n!important.log\n/anchored.txt\n");
        info("exclude", "secret-*\n");
        for (String p : List.of(
                "x.log",
                "keep.log",
                "build/out.bin",
                "sub/build/out.bin",
                "sub/local.txt",
                "sub/important.log",
                "sub/anchored.txt",
                "sub/deeper/anchored.txt",
                "sub/deeper/local.txt",
                "docs/a/b/c.tmp",
                "docs/c.tmp",
                "nested/inner/keep.log",
                "secret-one",
                "plain.txt")) {
            f.write(p, "x");
        }
        f.start();
        List<String> ours = untracked();
        Process p = new ProcessBuilder("git", "ls-files", "--others", "--exclude-standard")
                .directory(f.work.toFile())
                .redirectErrorStream(true)
                .start();
        List<String> git = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                .lines()
                .toList();
        assertEquals(0, p.waitFor());
        assertEquals(new TreeSet<>(git), new TreeSet<>(ours));
    }

    @Test
    void anAttributesRuleWithTooManyWildcardsRefusesTheCommitNamingFileAndLine() {
        f.write(".gitattributes", "*.txt text\n" + EVIL + " text\n");
        f.write(LONG_NAME, "x");
        f.start();
        String e = errorOf("git_commit", Map.of("dir", "proj", "message", "m"));
        assertTrue(e.contains("'.gitattributes' line 2"), e);
    }

    @Test
    void anUnboundedAttributesRuleInTheIndexOrHeadIsRefusedToo() throws Exception {
        f.write("sub/.gitattributes", EVIL + " text\n");
        f.commitAll("attributes"); // as git itself would commit it, in a job
        Files.delete(f.work.resolve("sub/.gitattributes"));
        f.write("sub/" + LONG_NAME, "x");
        f.start();
        for (String tool : List.of("git_status", "git_diff")) {
            String e = errorOf(tool, Map.of("dir", "proj"));
            assertTrue(e.contains("'sub/.gitattributes' in the index line 1"), e);
        }
    }

    @Test
    void anUnboundedRuleInInfoAttributesIsRefused() throws Exception {
        info("attributes", EVIL + " text\n");
        f.write(LONG_NAME, "x");
        f.start();
        String e = errorOf("git_commit", Map.of("dir", "proj", "message", "m"));
        assertTrue(e.contains("info/attributes") && e.contains("line 1"), e);
    }

    @Test
    void aConfigIncludingDevZeroIsRefusedNamingTheConfig() {
        f.appendConfig("[include]\n\tpath = /dev/zero\n");
        f.start();
        for (String tool : List.of("git_status", "git_log", "git_diff")) {
            String e = errorOf(tool, Map.of("dir", "proj"));
            assertTrue(e.contains("/dev/zero") && e.contains("cannot be read"), e);
        }
    }

    @Test
    void aConfigIncludingAFifoIsRefusedPromptly() throws Exception {
        Path fifo = mkfifo(dir.resolve("fifo.conf"));
        f.appendConfig("[include]\n\tpath = " + fifo + "\n");
        f.start();
        String e = errorOf("git_status", Map.of("dir", "proj"));
        assertTrue(e.contains(fifo.toString()) && e.contains("cannot be read"), e);
    }

    @Test
    void aFifoNestedInIncludesUnderAnyConditionIsRefusedNamingIt() throws Exception {
        Path fifo = mkfifo(dir.resolve("fifo.conf"));
        Path middle = dir.resolve("middle.conf");
        Files.writeString(middle, "[include]\n\tpath = fifo.conf\n");
        f.appendConfig("[includeIf \"gitdir:/nowhere/\"]\n\tpath = " + middle + "\n");
        f.start();
        String e = errorOf("git_log", Map.of("dir", "proj"));
        assertTrue(e.contains(fifo.toString()), e);
    }

    @Test
    void anExcludesOrAttributesFileThatIsAFifoIsRefused() throws Exception {
        Path fifo = mkfifo(dir.resolve("ignore-fifo"));
        f.appendConfig("[core]\n\texcludesFile = " + fifo + "\n");
        f.start();
        String e = errorOf("git_status", Map.of("dir", "proj"));
        assertTrue(e.contains(fifo.toString()) && e.contains("core.excludesFile"), e);
    }

    @Test
    void anAttributesFileThatIsAFifoIsRefused() throws Exception {
        Path fifo = mkfifo(dir.resolve("attr-fifo"));
        f.appendConfig("[core]\n\tattributesFile = " + fifo + "\n");
        f.write("b.txt", "b\n");
        f.start();
        String e = errorOf("git_commit", Map.of("dir", "proj", "message", "m"));
        assertTrue(e.contains(fifo.toString()) && e.contains("core.attributesFile"), e);
    }

    @Test
    void aFileWithTooManyLinesIsListedButNotDiffed() throws Exception {
        java.util.Random random = new java.util.Random(1);
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 60_000; i++) {
            a.append(Long.toHexString(random.nextLong())).append('\n');
            b.append(Long.toHexString(random.nextLong())).append('\n');
        }
        f.write("big.txt", a.toString());
        f.write("small.txt", "one\n");
        f.commitAll("big");
        f.write("big.txt", b.toString());
        f.write("small.txt", "two\n");
        f.start();
        Map<String, Object> d =
                assertTimeoutPreemptively(BOUND, () -> f.ok("git_diff", Map.of("dir", "proj", "max_bytes", 262_144)));
        String text = String.valueOf(d.get("diff"));
        assertTrue(text.contains("diff --git a/big.txt b/big.txt\n# too large to diff"), () -> text);
        assertTrue(text.contains("-one\n+two"), () -> text);
    }

    @Test
    void aGitmodulesIncludingDevZeroIsRefusedWhenStatusMeetsANestedRepository() throws Exception {
        repoWithOneCommit(f.work.resolve("sub"), "s.txt");
        f.commitAll("with a nested repository");
        f.write(".gitmodules", "[include]\n\tpath = /dev/zero\n");
        f.start();
        String e = errorOf("git_status", Map.of("dir", "proj"));
        assertTrue(e.contains(".gitmodules") && e.contains("/dev/zero"), e);
    }

    /**
     * Two sides of different random lines drive JGit's histogram diff into its quadratic fallback: under the line
     * limit, the comparison budget stops it (before, 40 s of a core for 50,000 lines, not interruptible).
     */
    @Test
    void aChangeTooCostlyToComputeIsListedButNotDiffed() throws Exception {
        java.util.Random random = new java.util.Random(2);
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 30_000; i++) {
            a.append(random.nextBoolean() ? "a\n" : "b\n");
            b.append(random.nextBoolean() ? "a\n" : "c\n");
        }
        f.write("ab.txt", a.toString());
        f.commitAll("ab");
        f.write("ab.txt", b.toString());
        f.start();
        Map<String, Object> d =
                assertTimeoutPreemptively(BOUND, () -> f.ok("git_diff", Map.of("dir", "proj", "max_bytes", 4096)));
        String text = String.valueOf(d.get("diff"));
        assertTrue(text.contains("diff --git a/ab.txt b/ab.txt\n# too large to diff"), () -> text);
    }

    /**
     * {@code .gitmodules} is read by the hub only: JGit, left to it, read it again after the walk, following an
     * include an agent could have written meanwhile ({@code /dev/zero}: the hub out of memory). A writer swaps the
     * file between a clean and a hostile version while status runs: every call answers, with the status or a
     * refusal naming the file.
     */
    @Test
    void aGitmodulesSwappedWhileStatusRunsIsNeverReadByJgit() throws Exception {
        repoWithOneCommit(f.work.resolve("sub"), "s.txt");
        String clean = "[submodule \"sub\"]\n\tpath = sub\n\turl = ./sub\n";
        f.write(".gitmodules", clean);
        for (int i = 0; i < 3000; i++) {
            f.write("files/f" + i + ".txt", "x");
        }
        f.commitAll("with a nested repository");
        f.start();
        Path modules = f.work.resolve(".gitmodules");
        Path evil = dir.resolve("evil");
        Path good = dir.resolve("good");
        Files.writeString(evil, clean + "[include]\n\tpath = /dev/zero\n");
        Files.writeString(good, clean);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread swapper = Thread.ofPlatform().start(() -> {
            boolean bad = false;
            while (!stop.get()) {
                try {
                    Path tmp = dir.resolve("next");
                    Files.copy(bad ? evil : good, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    Files.move(tmp, modules, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                } catch (java.io.IOException e) {
                    // the next round tries again
                }
                bad = !bad;
            }
        });
        try {
            for (int i = 0; i < 15; i++) {
                io.modelcontextprotocol.spec.McpSchema.CallToolResult r =
                        assertTimeoutPreemptively(BOUND, () -> f.call("git_status", Map.of("dir", "proj")));
                String text = GitFixture.text(r);
                assertFalse(text.contains("OutOfMemory") || text.contains("array size"), text);
                assertTrue(!Boolean.TRUE.equals(r.isError()) || text.contains(".gitmodules"), text);
            }
        } finally {
            stop.set(true);
            swapper.join();
        }
    }

    /** git drops a UTF-8 byte-order mark at the start of an ignore file; JGit kept it in the first rule. */
    @Test
    void anIgnoreFileStartingWithAByteOrderMarkStillIgnoresItsFirstRule() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/git")), "git is not installed");
        Files.write(
                f.work.resolve(".gitignore"), "\uFEFFsecret.env\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        f.write("secret.env", "TOKEN=x\n");
        f.write("ok.txt", "ok\n");
        f.start();
        assertTimeoutPreemptively(BOUND, () -> f.ok("git_commit", Map.of("dir", "proj", "message", "m")));
        String tree = headTree();
        assertTrue(tree.contains("ok.txt"), tree);
        assertFalse(tree.contains("secret.env"), tree);
    }

    /**
     * Rules each bounded, but many: every rule is matched against every name (121,839 rules of {@code *a*0b} shape
     * cost 25 s per 255-character name). The git tools refuse a file with too many; the fs tools keep the first.
     */
    @Test
    void anIgnoreFileWithTooManyCostlyRulesIsRefused() {
        StringBuilder rules = new StringBuilder();
        for (int i = 0; i <= 100; i++) { // GitIgnores.MAX_WILD_RULES, and one more
            rules.append("*a*").append(i).append("b\n");
        }
        f.write(".gitignore", rules.toString());
        f.write(LONG_NAME, "x");
        f.start();
        String e = errorOf("git_status", Map.of("dir", "proj"));
        assertTrue(e.contains(".gitignore") && e.contains("cost too much"), e);
    }

    /**
     * A nested repository's own status (JGit runs it for the outer one) reads that repository's {@code .gitmodules}
     * when it holds a nested repository in turn: checked before, as the outer one's is.
     */
    @Test
    void aNestedRepositorysGitmodulesIncludingDevZeroIsRefused() throws Exception {
        Path sub = f.work.resolve("sub");
        repoWithOneCommit(sub.resolve("inner"), "i.txt");
        repoWithOneCommit(sub, "s.txt");
        f.commitAll("with a nested repository");
        Files.writeString(sub.resolve(".gitmodules"), "[include]\n\tpath = /dev/zero\n");
        f.start();
        String e = errorOf("git_status", Map.of("dir", "proj"));
        assertTrue(e.contains(".gitmodules") && e.contains("/dev/zero"), e);
    }

    /** Returns the paths HEAD's tree holds, one a line, as real git lists them. */
    private String headTree() throws Exception {
        Process ls = new ProcessBuilder("git", "-C", f.work.toString(), "ls-tree", "-r", "--name-only", "HEAD")
                .redirectErrorStream(true)
                .start();
        String tree = new String(ls.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, ls.waitFor(), tree);
        return tree;
    }

    /** Makes {@code dir} a repository with one commit of {@code file}. */
    private static void repoWithOneCommit(Path dir, String file) throws Exception {
        try (org.eclipse.jgit.api.Git g =
                org.eclipse.jgit.api.Git.init().setDirectory(dir.toFile()).call()) {
            Files.writeString(dir.resolve(file), file + "\n");
            g.add().addFilepattern(".").call();
            g.commit().setMessage(file).setAuthor("A", "a@x").setSign(false).call();
        }
    }

    /** Writes {@code proj/.git/info/<name>}. */
    private void info(String name, String text) throws Exception {
        Path p = f.work.resolve(".git/info").resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private static Path mkfifo(Path p) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/mkfifo")), "mkfifo is not installed");
        List<String> cmd = new ArrayList<>(List.of("mkfifo", p.toString()));
        assertEquals(0, new ProcessBuilder(cmd).inheritIO().start().waitFor());
        return p;
    }
}
