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
    void aGitignoreRuleWithTooManyWildcardsIsLeftOutAndStatusAnswersPromptly() {
        f.write(".gitignore", EVIL + "\nskip.log\n");
        f.write(LONG_NAME, "x");
        f.write("skip.log", "x");
        f.start();
        List<String> untracked = untracked();
        assertTrue(untracked.contains(LONG_NAME), () -> "the unbounded rule is not honoured: " + untracked);
        assertFalse(untracked.contains("skip.log"), () -> "the other rules still are: " + untracked);
    }

    @Test
    void anInfoExcludeOrExcludesFileRuleWithTooManyWildcardsIsLeftOutToo() throws Exception {
        info("exclude", EVIL + "\n");
        Path excludes = dir.resolve("excludes");
        Files.writeString(excludes, EVIL + "\n");
        f.appendConfig("[core]\n\texcludesFile = " + excludes + "\n");
        f.write(LONG_NAME, "x");
        f.start();
        assertTrue(untracked().contains(LONG_NAME));
    }

    @Test
    void commitAnswersPromptlyWithAnUnboundedIgnoreRule() {
        f.write(".gitignore", EVIL + "\n");
        f.write("sub/" + LONG_NAME, "x");
        f.start();
        assertTimeoutPreemptively(BOUND, () -> f.ok("git_commit", Map.of("dir", "proj", "message", "m")));
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
        try (org.eclipse.jgit.api.Git sub = org.eclipse.jgit.api.Git.init()
                .setDirectory(f.work.resolve("sub").toFile())
                .call()) {
            Files.writeString(f.work.resolve("sub/s.txt"), "s\n");
            sub.add().addFilepattern(".").call();
            sub.commit().setMessage("s").setAuthor("A", "a@x").setSign(false).call();
        }
        f.commitAll("with a nested repository");
        f.write(".gitmodules", "[include]\n\tpath = /dev/zero\n");
        f.start();
        String e = errorOf("git_status", Map.of("dir", "proj"));
        assertTrue(e.contains(".gitmodules") && e.contains("/dev/zero"), e);
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
