package dev.tandem.hub.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A repository can name programs in its git config and hooks (filters, hooks, {@code core.hooksPath}, signing
 * programs, a local remote's {@code receivepack}); an agent that plants them must not get them run by any git
 * tool. Each hostile command would create a file in {@code markers/}; none may appear.
 */
class GitRunsNoProgramsTest {
    @TempDir
    Path dir;

    private GitFixture f;
    private Path markers;
    private RevCommit first;

    @BeforeEach
    void setUp() throws Exception {
        f = new GitFixture(dir);
        markers = Files.createDirectories(dir.resolve("markers"));
        f.write("a.txt", "aaaa\n");
        f.write("b.txt", "b\n");
        first = f.commitAll("first");
        Path bare = f.root.resolve("remote.git");
        GitFixture.bare(bare);
        f.appendConfig("[remote \"origin\"]\n\turl = " + bare + "\n");
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private String touch(String name) {
        return "touch " + markers.resolve(name);
    }

    /** A tracked file rewritten with the same length and a newer time: git must read it to know it changed. */
    private void changeContentKeepingLength() throws Exception {
        Path a = f.work.resolve("a.txt");
        FileTime before = Files.getLastModifiedTime(a);
        Files.writeString(a, "bbbb\n");
        Files.setLastModifiedTime(a, FileTime.fromMillis(before.toMillis() + 5_000));
    }

    private McpSchema.CallToolResult callAndCheck(String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = f.call(tool, args);
        assertEquals(List.of(), GitFixture.files(markers), () -> tool + " ran a repository-configured program");
        return r;
    }

    /** Calls every git tool once; returns the commit tool's answer. */
    private McpSchema.CallToolResult everyTool() {
        callAndCheck("git_status", Map.of("dir", "proj"));
        callAndCheck("git_diff", Map.of("dir", "proj"));
        callAndCheck("git_diff", Map.of("dir", "proj", "mode", "staged"));
        callAndCheck("git_diff", Map.of("dir", "proj", "mode", "revisions", "from", first.name()));
        callAndCheck("git_log", Map.of("dir", "proj"));
        McpSchema.CallToolResult commit = callAndCheck("git_commit", Map.of("dir", "proj", "message", "change"));
        callAndCheck("git_push", Map.of("dir", "proj"));
        return commit;
    }

    @Test
    void noToolRunsCleanSmudgeOrProcessFiltersFromTheRepositoryConfig() throws Exception {
        f.appendConfig("[filter \"evil\"]\n\tclean = \"" + touch("clean") + "; cat\"\n\tsmudge = \"" + touch("smudge")
                + "; cat\"\n\tprocess = \"" + touch("process") + "\"\n");
        f.write(".gitattributes", "* filter=evil diff=evil merge=evil\n");
        changeContentKeepingLength();
        f.start();
        McpSchema.CallToolResult commit = everyTool();
        assertTrue(commit.isError(), "a commit that needs a filter program must be refused");
        String text = GitFixture.text(commit);
        assertTrue(text.contains("'evil'") && text.contains("a.txt"), text);
        assertEquals(first.getId(), f.git.getRepository().resolve("HEAD"), "nothing may be committed");
    }

    @Test
    void commitIsRefusedWhenAFileNeedsAProcessOnlyFilterJGitWouldSilentlySkip() throws Exception {
        f.appendConfig("[filter \"lfs\"]\n\tprocess = \"" + touch("process") + "\"\n\trequired = true\n");
        f.write(".gitattributes", "*.bin filter=lfs\n");
        f.write("big.bin", "raw content that git-lfs would have replaced by a pointer\n");
        f.start();
        String message = f.error("git_commit", Map.of("dir", "proj", "message", "add big"));
        assertTrue(message.contains("'lfs'") && message.contains("big.bin"), message);
        assertEquals(first.getId(), f.git.getRepository().resolve("HEAD"));
        assertEquals(List.of(), GitFixture.files(markers));
    }

    @Test
    void filesWithoutAFilterStillCommitInARepositoryThatDefinesOne() throws Exception {
        f.appendConfig("[filter \"lfs\"]\n\tclean = \"" + touch("clean") + "; cat\"\n");
        f.write(".gitattributes", "*.bin filter=lfs\n");
        f.write("c.txt", "plain\n");
        f.start();
        f.ok("git_commit", Map.of("dir", "proj", "message", "plain file"));
        assertEquals(List.of(), GitFixture.files(markers));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void noToolRunsHooksFromGitHooksOrCoreHooksPath(boolean viaHooksPath) throws Exception {
        Path hooks = viaHooksPath ? f.work.resolve(".githooks") : f.work.resolve(".git/hooks");
        if (viaHooksPath) {
            f.appendConfig("[core]\n\thooksPath = " + hooks + "\n");
        }
        for (String hook : List.of(
                "pre-commit",
                "prepare-commit-msg",
                "commit-msg",
                "post-commit",
                "pre-push",
                "post-checkout",
                "reference-transaction",
                "post-index-change",
                "fsmonitor-watchman")) {
            GitFixture.script(hooks.resolve(hook), touch(hook) + "\nexit 1");
        }
        Path remoteHooks = f.root.resolve("remote.git/hooks");
        for (String hook : List.of("pre-receive", "update", "post-receive", "post-update")) {
            GitFixture.script(remoteHooks.resolve(hook), touch("remote-" + hook) + "\nexit 1");
        }
        f.write("new.txt", "new\n");
        f.start();
        McpSchema.CallToolResult commit = everyTool();
        assertFalse(Boolean.TRUE.equals(commit.isError()), () -> GitFixture.text(commit));
        try (Git remote = Git.open(f.root.resolve("remote.git").toFile())) {
            assertEquals(
                    f.git.getRepository().resolve("HEAD"),
                    remote.getRepository().resolve("refs/heads/main"));
        }
    }

    @Test
    void commitIsNeverSignedSoNoSigningProgramRuns() throws Exception {
        f.appendConfig("[commit]\n\tgpgSign = true\n[gpg]\n\tformat = ssh\n\tprogram = \"" + touch("gpg") + "\"\n"
                + "[gpg \"ssh\"]\n\tprogram = \"" + touch("ssh-keygen") + "\"\n\tdefaultKeyCommand = \""
                + touch("default-key") + "\"\n[gpg \"x509\"]\n\tprogram = \"" + touch("gpgsm") + "\"\n");
        f.write("new.txt", "new\n");
        f.start();
        McpSchema.CallToolResult commit = everyTool();
        assertFalse(Boolean.TRUE.equals(commit.isError()), () -> GitFixture.text(commit));
        ObjectId head = f.git.getRepository().resolve("HEAD");
        try (org.eclipse.jgit.revwalk.RevWalk walk = new org.eclipse.jgit.revwalk.RevWalk(f.git.getRepository())) {
            assertEquals(null, walk.parseCommit(head).getRawGpgSignature());
        }
    }

    @Test
    void aLocalPushRunsReceivePackInsideTheHubNotTheRemotesReceivePackProgram() throws Exception {
        f.appendConfig("[remote \"origin\"]\n\treceivepack = \"" + touch("receivepack") + "; git-receive-pack\"\n"
                + "\tuploadpack = \"" + touch("uploadpack") + "; git-upload-pack\"\n");
        f.start();
        callAndCheck("git_push", Map.of("dir", "proj"));
        try (Git remote = Git.open(f.root.resolve("remote.git").toFile())) {
            assertEquals(first.getId(), remote.getRepository().resolve("refs/heads/main"));
        }
    }

    @Test
    void programsGitItselfWouldRunFromConfigAreIgnored() throws Exception {
        f.appendConfig("[core]\n\tfsmonitor = \"" + touch("fsmonitor") + "\"\n\tsshCommand = \"" + touch("ssh")
                + "\"\n\taskPass = \"" + touch("askpass") + "\"\n\teditor = \"" + touch("editor") + "\"\n\tpager = \""
                + touch("pager") + "\"\n[credential]\n\thelper = \"!" + touch("credential")
                + "\"\n[diff]\n\texternal = \""
                + touch("diff-external") + "\"\n[diff \"evil\"]\n\ttextconv = \"" + touch("textconv")
                + "\"\n\tcommand = \""
                + touch("diff-command") + "\"\n[merge \"evil\"]\n\tdriver = \"" + touch("merge-driver") + "\"\n"
                + "[uploadpack]\n\tpackObjectsHook = \"" + touch("pack-objects-hook") + "\"\n");
        f.write(".gitattributes", "* diff=evil merge=evil\n");
        changeContentKeepingLength();
        f.start();
        McpSchema.CallToolResult commit = everyTool();
        assertFalse(Boolean.TRUE.equals(commit.isError()), () -> GitFixture.text(commit));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[core]\n\tbare = TOPSECRET-VALUE\n", "[secrets]\n\tTOPSECRET-VALUE!\n"})
    void aConfigIncludeOfASecretFileNeverShowsItsContent(String secret) throws Exception {
        Path secretFile = dir.resolve("secret.conf");
        Files.writeString(secretFile, secret);
        f.appendConfig("[include]\n\tpath = " + secretFile + "\n");
        f.start();
        for (String tool : List.of("git_status", "git_diff", "git_log", "git_commit", "git_push")) {
            Map<String, Object> args =
                    tool.equals("git_commit") ? Map.of("dir", "proj", "message", "m") : Map.of("dir", "proj");
            McpSchema.CallToolResult r = f.call(tool, args);
            assertFalse(GitFixture.everything(r).contains("TOPSECRET"), () -> tool + ": " + GitFixture.everything(r));
        }
    }
}
