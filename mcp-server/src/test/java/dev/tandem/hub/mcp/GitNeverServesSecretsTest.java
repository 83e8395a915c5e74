package dev.tandem.hub.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.config.HubConfig;
import dev.tandem.hub.TestHub;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub whose root is a fake {@code $HOME} that is also a dotfiles repository tracking an SSH key, a {@code .env}
 * and AWS credentials, with the hub's own deny list (built from its configuration as in production): the git tools
 * name those files but never show their content, never commit new content of them, and never push a commit that
 * carries such content.
 */
class GitNeverServesSecretsTest {
    /** Every secret holds this; the ordinary file never does. */
    private static final String NEEDLE = "NEEDLE-c0ffee";

    private static final List<String> SECRETS = List.of(".ssh/id_ed25519", ".env", ".aws/credentials");

    @TempDir
    Path dir;

    private Path home;
    private Git git;
    private TestHub hub;
    private McpSyncClient client;
    private final List<String> answers = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        home = Files.createDirectories(dir.resolve("home"));
        git = Git.init().setDirectory(home.toFile()).setInitialBranch("main").call();
        write(".gitignore", ".tandem/\nremote.git/\n");
        write("notes.md", "plain notes\n");
        for (String s : SECRETS) {
            write(s, "first secret " + NEEDLE + "-1\n");
        }
        git.add().addFilepattern(".").call();
        commit("dotfiles");
    }

    @AfterEach
    void tearDown() {
        if (hub != null) {
            hub.close();
        }
        git.close();
        for (String a : answers) {
            assertFalse(a.contains(NEEDLE), () -> "a secret's content reached the model: " + a);
        }
    }

    /** Starts the full hub (every capability from its configuration) rooted at the fake home. */
    private void start() {
        hub = TestHub.start(dir, GitNeverServesSecretsTest::rootedAtHome, null);
        client = hub.client("claude-code");
    }

    private static HubConfig rootedAtHome(HubConfig c) {
        return c.withRoots(List.of(c.home()));
    }

    private void write(String path, String text) throws IOException {
        Path p = home.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private RevCommit commit(String message) throws Exception {
        return git.commit()
                .setMessage(message)
                .setAuthor("P", "p@x")
                .setCommitter("P", "p@x")
                .setSign(false)
                .call();
    }

    /** Changes every secret and the ordinary file in the work tree. */
    private void changeEverything() throws IOException {
        for (String s : SECRETS) {
            write(s, "second secret " + NEEDLE + "-2\n");
        }
        write("notes.md", "plain notes, edited\n");
    }

    private McpSchema.CallToolResult call(String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = client.callTool(
                McpSchema.CallToolRequest.builder(tool).arguments(args).build());
        answers.add(GitFixture.everything(r));
        return r;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> ok(String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = call(tool, args);
        assertFalse(Boolean.TRUE.equals(r.isError()), () -> tool + " failed: " + GitFixture.text(r));
        return (Map<String, Object>) r.structuredContent();
    }

    private String error(String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = call(tool, args);
        assertTrue(Boolean.TRUE.equals(r.isError()), () -> tool + " should refuse but returned " + GitFixture.text(r));
        String text = GitFixture.text(r);
        assertFalse(text.contains("\n"), () -> "error is not one line: " + text);
        return text;
    }

    /** The diff names every secret as changed, says its content is withheld, and still shows the ordinary file. */
    @SuppressWarnings("unchecked")
    private void assertWithheld(Map<String, Object> diff) {
        String text = (String) diff.get("diff");
        List<Object> files = ((List<Map<String, Object>>) diff.get("files"))
                .stream().map(f -> f.get("path")).toList();
        for (String s : SECRETS) {
            assertTrue(files.contains(s), () -> s + " is not listed as changed: " + files);
            assertTrue(
                    text.contains("diff --git a/" + s + " b/" + s + "\n(content withheld: " + s
                            + " is on the hub's deny list, see docs/fs.md)\n"),
                    () -> s + " has no withheld note: " + text);
        }
        assertTrue(text.contains("plain notes, edited\n"), text);
        assertFalse(text.contains(NEEDLE), text);
    }

    @Test
    void worktreeDiffNamesSecretsButWithholdsTheirContent() throws Exception {
        changeEverything();
        start();
        assertWithheld(ok("git_diff", Map.of()));
    }

    @Test
    void stagedDiffWithholdsSecrets() throws Exception {
        changeEverything();
        git.add().addFilepattern(".").call();
        start();
        assertWithheld(ok("git_diff", Map.of("mode", "staged")));
    }

    @Test
    void diffBetweenCommitsWithholdsSecrets() throws Exception {
        changeEverything();
        git.add().addFilepattern(".").call();
        commit("rotate keys");
        start();
        assertWithheld(ok("git_diff", Map.of("mode", "revisions", "from", "HEAD~1")));
        assertWithheld(ok("git_diff", Map.of("mode", "revisions", "from", "HEAD", "to", "HEAD~1")));
    }

    @Test
    void diffLimitedToASecretStillWithholdsIt() throws Exception {
        changeEverything();
        start();
        for (String s : SECRETS) {
            String text = (String) ok("git_diff", Map.of("path", s)).get("diff");
            assertTrue(text.contains("(content withheld: " + s), () -> s + ": " + text);
        }
    }

    @Test
    void aSecretRenamedToAnOrdinaryNameIsStillWithheld() throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            lines.append("KEY_")
                    .append(i)
                    .append('=')
                    .append(NEEDLE)
                    .append('-')
                    .append(i)
                    .append('\n');
        }
        write(".env", lines.toString());
        git.add().addFilepattern(".env").call();
        commit("more keys");
        Files.delete(home.resolve(".env"));
        write("env-backup.txt", lines + "KEY_10=" + NEEDLE + "-10\n");
        git.add().addFilepattern(".").setAll(true).call();
        commit("move env");
        start();
        Map<String, Object> diff = ok("git_diff", Map.of("mode", "revisions", "from", "HEAD~1"));
        String text = (String) diff.get("diff");
        assertTrue(diff.get("files").toString().contains("renamed"), diff::toString);
        assertTrue(text.contains("(content withheld: .env is on the hub's deny list"), text);
    }

    @Test
    void statusAndLogNameSecretsWithoutContent() throws Exception {
        changeEverything();
        start();
        String status = ok("git_status", Map.of()).toString();
        for (String s : SECRETS) {
            assertTrue(status.contains(s), status);
        }
        assertEquals(1, ((List<?>) ok("git_log", Map.of("path", ".env")).get("commits")).size());
    }

    @Test
    void commitRefusesToRecordChangedSecretsAndCommitsNothing() throws Exception {
        changeEverything();
        ObjectId before = git.getRepository().resolve("HEAD");
        start();
        String error = error("git_commit", Map.of("message", "update"));
        for (String s : SECRETS) {
            assertTrue(error.contains(s), error);
        }
        assertTrue(error.contains("deny list"), error);
        assertEquals(before, git.getRepository().resolve("HEAD"));
        assertFalse(git.status().call().getChanged().contains(".env"), "the refusal staged a secret");
    }

    @Test
    void commitRefusesToAddAnUntrackedSecretOrTheHubsToken() throws Exception {
        Files.writeString(home.resolve(".gitignore"), "remote.git/\n");
        git.add().addFilepattern(".gitignore").call();
        commit("stop ignoring the hub's folder");
        write(".ssh/id_rsa", "new key " + NEEDLE + "-4\n");
        write("notes.md", "plain notes, edited\n");
        ObjectId before = git.getRepository().resolve("HEAD");
        start();
        String error = error("git_commit", Map.of("message", "add"));
        assertTrue(error.contains(".ssh/id_rsa"), error);
        assertTrue(error.contains(".tandem/token"), error);
        assertEquals(before, git.getRepository().resolve("HEAD"));
    }

    @Test
    void commitRefusesASecretSomeoneElseStaged() throws Exception {
        write(".env", "staged " + NEEDLE + "-5\n");
        git.add().addFilepattern(".env").call();
        ObjectId before = git.getRepository().resolve("HEAD");
        start();
        assertTrue(error("git_commit", Map.of("message", "m")).contains(".env"));
        assertEquals(before, git.getRepository().resolve("HEAD"));
    }

    @Test
    void commitOfOrdinaryChangesAndOfASecretsRemovalWorks() throws Exception {
        write("notes.md", "plain notes, edited\n");
        Files.delete(home.resolve(".env"));
        start();
        ok("git_commit", Map.of("message", "edit notes, drop .env"));
        RevCommit head = git.log().setMaxCount(1).call().iterator().next();
        assertEquals("edit notes, drop .env", head.getFullMessage());
        assertNull(TreeWalk.forPath(git.getRepository(), ".env", head.getTree()));
    }

    @Test
    void pushRefusesCommitsThatCarrySecretsAndSendsNothing() throws Exception {
        Path remote = GitFixture.bare(home.resolve("remote.git"));
        git.remoteAdd().setName("origin").setUri(new URIish(remote.toString())).call();
        start();
        String error = error("git_push", Map.of());
        for (String s : SECRETS) {
            assertTrue(error.contains(s), error);
        }
        assertTrue(error.contains("deny list"), error);
        try (Git r = Git.open(remote.toFile())) {
            assertNull(r.getRepository().resolve("refs/heads/main"), "the secrets were pushed");
        }
    }

    @Test
    void pushSendsCommitsThatLeaveSecretsAloneOnceTheSecretsAreOnTheRemote() throws Exception {
        Path remote = GitFixture.bare(home.resolve("remote.git"));
        git.remoteAdd().setName("origin").setUri(new URIish(remote.toString())).call();
        git.push().setRemote("origin").add("main").call(); // the person pushed the dotfiles once, with git
        write(".env", "rotated " + NEEDLE + "-6\n");
        git.add().addFilepattern(".env").call();
        commit("rotate");
        start();
        assertTrue(error("git_push", Map.of()).contains(".env"));
        git.reset().setMode(ResetCommand.ResetType.HARD).setRef("HEAD~1").call();
        write("notes.md", "plain notes, edited\n");
        ok("git_commit", Map.of("message", "notes"));
        ok("git_push", Map.of());
        try (Git r = Git.open(remote.toFile())) {
            assertEquals(git.getRepository().resolve("HEAD"), r.getRepository().resolve("refs/heads/main"));
        }
    }

    @Test
    void aFolderOnTheDenyListIsRefusedAsDir() throws Exception {
        start();
        String error = error("git_log", Map.of("dir", ".ssh"));
        assertTrue(error.contains(".ssh") && error.contains("deny list"), error);
    }
}
