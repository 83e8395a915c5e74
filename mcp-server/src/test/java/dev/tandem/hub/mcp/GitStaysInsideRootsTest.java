package dev.tandem.hub.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Git metadata can point anywhere on disk: a {@code commondir} file, {@code objects/info/alternates}, a {@code
 * .git} file's {@code gitdir:}, symlinks inside {@code .git}, a nested repository, a remote's path or its rewrites.
 * A repository outside the roots must neither be read (no commit, id or content of it in any answer) nor written.
 */
class GitStaysInsideRootsTest {
    private static final String OUTSIDE_SUBJECT = "outside secret subject";

    @TempDir
    Path dir;

    private GitFixture f;
    private Path outside;
    private ObjectId outsideHead;
    private Path outsideBare;

    @BeforeEach
    void setUp() throws Exception {
        f = new GitFixture(dir);
        f.write("a.txt", "a\n");
        f.commitAll("first");
        outside = dir.resolve("outside");
        try (Git out = Git.init()
                .setDirectory(outside.toFile())
                .setInitialBranch("main")
                .call()) {
            Files.writeString(outside.resolve("secret.txt"), "OUTSIDE-CONTENT\n");
            out.add().addFilepattern(".").call();
            outsideHead = out.commit()
                    .setMessage(OUTSIDE_SUBJECT)
                    .setAuthor("O", "o@x")
                    .setSign(false)
                    .call()
                    .getId();
        }
        outsideBare = dir.resolve("outside.git");
        GitFixture.bare(outsideBare);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private void assertNoLeak(McpSchema.CallToolResult r, String tool) {
        String all = GitFixture.everything(r);
        assertFalse(all.contains(OUTSIDE_SUBJECT), () -> tool + " read the outside repository: " + all);
        assertFalse(all.contains("OUTSIDE-CONTENT"), () -> tool + " read the outside repository: " + all);
        assertFalse(all.contains(outsideHead.name().substring(0, 7)), () -> tool + " leaked an outside id: " + all);
    }

    /** Every tool on {@code name}: all refused with a one-line error, nothing read, nothing written outside. */
    private void everyToolRefuses(String name) throws Exception {
        f.start();
        for (String tool : List.of("git_status", "git_diff", "git_log", "git_commit", "git_push")) {
            Map<String, Object> args =
                    tool.equals("git_commit") ? Map.of("dir", name, "message", "m") : Map.of("dir", name);
            McpSchema.CallToolResult r = f.call(tool, args);
            assertNoLeak(r, tool);
            assertTrue(Boolean.TRUE.equals(r.isError()), () -> tool + " should refuse: " + GitFixture.text(r));
            String text = GitFixture.text(r);
            assertTrue(text.contains("outside the roots") && text.contains(name), text);
            assertFalse(text.contains("\n"), text);
        }
        try (Git out = Git.open(outside.toFile())) {
            assertEquals(outsideHead, out.getRepository().resolve("HEAD"), "the outside repository was written");
        }
    }

    /** A folder in the roots whose {@code .git} is set up by {@code setup}, with a change ready to commit. */
    private Path evil(String name, ThrowingConsumer setup) throws Exception {
        Path work = Files.createDirectories(f.root.resolve(name));
        Files.writeString(work.resolve("new.txt"), "new\n");
        setup.accept(work);
        return work;
    }

    interface ThrowingConsumer {
        void accept(Path work) throws Exception;
    }

    @Test
    void refusesACommondirFileThatPointsOutside() throws Exception {
        evil("common", w -> {
            Path gitDir = Files.createDirectories(w.resolve(".git"));
            Files.writeString(gitDir.resolve("HEAD"), "ref: refs/heads/main\n");
            Files.writeString(gitDir.resolve("commondir"), outside.resolve(".git") + "\n");
        });
        everyToolRefuses("common");
    }

    @Test
    void refusesAGitFileWhoseGitdirPointsOutside() throws Exception {
        evil("linked", w -> Files.writeString(w.resolve(".git"), "gitdir: " + outside.resolve(".git") + "\n"));
        everyToolRefuses("linked");
    }

    @Test
    void refusesAlternatesThatPointOutside() throws Exception {
        evil("alt", w -> {
            Git.init().setDirectory(w.toFile()).setInitialBranch("main").call().close();
            {
                Path info = Files.createDirectories(w.resolve(".git/objects/info"));
                Files.writeString(info.resolve("alternates"), outside.resolve(".git/objects") + "\n");
                Files.createDirectories(w.resolve(".git/refs/heads"));
                Files.writeString(w.resolve(".git/refs/heads/main"), outsideHead.name() + "\n");
            }
        });
        everyToolRefuses("alt");
    }

    @Test
    void refusesSymlinkedObjectsAndRefsInsideDotGit() throws Exception {
        evil("sym", w -> {
            Git.init().setDirectory(w.toFile()).setInitialBranch("main").call().close();
            {
                Path gitDir = w.resolve(".git");
                org.eclipse.jgit.util.FileUtils.delete(
                        gitDir.resolve("objects").toFile(), org.eclipse.jgit.util.FileUtils.RECURSIVE);
                org.eclipse.jgit.util.FileUtils.delete(
                        gitDir.resolve("refs").toFile(), org.eclipse.jgit.util.FileUtils.RECURSIVE);
                Files.createSymbolicLink(gitDir.resolve("objects"), outside.resolve(".git/objects"));
                Files.createSymbolicLink(gitDir.resolve("refs"), outside.resolve(".git/refs"));
            }
        });
        everyToolRefuses("sym");
    }

    @Test
    void refusesADotGitSymlinkThatLeadsOutside() throws Exception {
        evil("dotgitlink", w -> Files.createSymbolicLink(w.resolve(".git"), outside.resolve(".git")));
        everyToolRefuses("dotgitlink");
    }

    @Test
    void refusesALinkedWorktreeWhoseCommonDirIsOutside() throws Exception {
        Path worktreeGitDir = Files.createDirectories(f.root.resolve("proj/.git/worktrees/w"));
        Files.writeString(worktreeGitDir.resolve("HEAD"), "ref: refs/heads/main\n");
        Files.writeString(worktreeGitDir.resolve("commondir"), outside.resolve(".git") + "\n");
        evil("w", w -> Files.writeString(w.resolve(".git"), "gitdir: " + worktreeGitDir + "\n"));
        everyToolRefuses("w");
    }

    @Test
    void aNestedRepositoryWhoseGitdirIsOutsideIsNeitherReadNorCommitted() throws Exception {
        Path sub = Files.createDirectories(f.work.resolve("sub"));
        Files.writeString(sub.resolve(".git"), "gitdir: " + outside.resolve(".git") + "\n");
        Files.writeString(sub.resolve("x.txt"), "x\n");
        f.start();
        for (String tool : List.of("git_status", "git_commit", "git_diff", "git_log")) {
            Map<String, Object> args =
                    tool.equals("git_commit") ? Map.of("dir", "proj", "message", "m") : Map.of("dir", "proj");
            assertNoLeak(f.call(tool, args), tool);
        }
        assertNoLeak(f.call("git_diff", Map.of("dir", "proj", "mode", "revisions", "from", "HEAD~1")), "git_diff");
    }

    static Stream<Arguments> outsidePushTargets() {
        Function<Path, String> path = Path::toString;
        Function<Path, String> fileUrl = p -> p.toUri().toString();
        return Stream.of(
                Arguments.of("a path", (RemoteConfig) (bare, inside) -> "\turl = " + path.apply(bare) + "\n"),
                Arguments.of("a file:// URL", (RemoteConfig) (bare, inside) -> "\turl = " + fileUrl.apply(bare) + "\n"),
                Arguments.of("a relative path", (RemoteConfig) (bare, inside) -> "\turl = ../../outside.git\n"),
                Arguments.of("a pushurl", (RemoteConfig)
                        (bare, inside) -> "\turl = " + inside + "\n\tpushurl = " + bare + "\n"),
                Arguments.of("an insteadOf rewrite", (RemoteConfig) (bare, inside) ->
                        "\turl = safe:outside.git\n[url \"" + bare.getParent() + "/\"]\n\tinsteadOf = safe:\n"),
                Arguments.of("a pushInsteadOf rewrite", (RemoteConfig) (bare, inside) ->
                        "\turl = " + inside + "\n[url \"" + bare + "\"]\n\tpushInsteadOf = " + inside + "\n"));
    }

    interface RemoteConfig {
        String text(Path outsideBare, Path insideBare);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outsidePushTargets")
    void pushRefusesALocalTargetOutsideTheRoots(String how, RemoteConfig remote) throws Exception {
        Path inside = f.root.resolve("inside.git");
        GitFixture.bare(inside);
        f.appendConfig("[remote \"origin\"]\n" + remote.text(outsideBare, inside));
        f.start();
        String message = f.error("git_push", Map.of("dir", "proj"));
        assertTrue(message.contains("outside the roots"), message);
        try (Git out = Git.open(outsideBare.toFile())) {
            assertNull(out.getRepository().resolve("refs/heads/main"), "pushed outside the roots via " + how);
        }
    }

    @Test
    void pushRefusesATargetInsideTheRootsWhoseObjectsLiveOutside() throws Exception {
        Path inside = f.root.resolve("inside.git");
        GitFixture.bare(inside);
        Files.writeString(inside.resolve("objects/info/alternates"), outsideBare.resolve("objects") + "\n");
        Files.writeString(inside.resolve("commondir"), outsideBare + "\n");
        f.appendConfig("[remote \"origin\"]\n\turl = " + inside + "\n");
        f.start();
        String message = f.error("git_push", Map.of("dir", "proj"));
        assertTrue(message.contains("outside the roots"), message);
        try (Git out = Git.open(outsideBare.toFile())) {
            assertNull(out.getRepository().resolve("refs/heads/main"));
        }
    }

    @Test
    void pushToALocalTargetInsideTheRootsStillWorks() throws Exception {
        Path inside = f.root.resolve("inside.git");
        GitFixture.bare(inside);
        f.appendConfig("[remote \"origin\"]\n\turl = ../inside.git\n");
        f.start();
        f.ok("git_push", Map.of("dir", "proj"));
        RevCommit head;
        try (Git in = Git.open(inside.toFile());
                org.eclipse.jgit.revwalk.RevWalk walk = new org.eclipse.jgit.revwalk.RevWalk(in.getRepository())) {
            head = walk.parseCommit(in.getRepository().resolve("refs/heads/main"));
        }
        assertEquals("first", head.getShortMessage());
    }
}
