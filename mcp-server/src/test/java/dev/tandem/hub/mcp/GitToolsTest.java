package dev.tandem.hub.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.hub.TestHub;
import dev.tandem.hub.git.GitService;
import dev.tandem.hub.git.GitSettings;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitToolsTest {
    @TempDir
    Path dir;

    private Path root;
    private Path work;
    private Git git;
    private TestHub hub;
    private McpSyncClient client;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectories(dir.resolve("root"));
        work = root.resolve("proj");
        git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call();
        StoredConfig config = git.getRepository().getConfig();
        config.setString("user", null, "name", "Repo Author");
        config.setString("user", null, "email", "repo@example.org");
        config.save();
    }

    @AfterEach
    void tearDown() {
        if (hub != null) {
            hub.close();
        }
        git.close();
    }

    private McpSyncClient client(GitSettings settings) {
        hub = TestHub.start(dir, List.of(new GitCapability(new GitService(List.of(root), settings))));
        client = hub.client("claude-code");
        return client;
    }

    private McpSyncClient client() {
        return client(GitSettings.defaults(dir.resolve("home")));
    }

    private McpSchema.CallToolResult call(String tool, Map<String, Object> args) {
        return client.callTool(
                McpSchema.CallToolRequest.builder(tool).arguments(args).build());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> ok(String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = call(tool, args);
        assertFalse(Boolean.TRUE.equals(r.isError()), () -> tool + " failed: " + text(r));
        return (Map<String, Object>) r.structuredContent();
    }

    private String error(String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = call(tool, args);
        assertTrue(r.isError(), () -> tool + " should fail but returned " + text(r));
        return text(r);
    }

    private static String text(McpSchema.CallToolResult r) {
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }

    private void write(String path, String text) throws IOException {
        Path p = work.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private RevCommit commitAll(String message) throws Exception {
        git.add().addFilepattern(".").setAll(true).call();
        return git.commit().setMessage(message).call();
    }

    /** Returns a bare repository inside the roots (a local push target must be), set as {@code origin}. */
    private Path bareRemote(String name) throws Exception {
        Path bare = root.resolve(name);
        Git.init()
                .setBare(true)
                .setDirectory(bare.toFile())
                .setInitialBranch("main")
                .call()
                .close();
        git.remoteAdd()
                .setName("origin")
                .setUri(new URIish(bare.toUri().toString()))
                .call();
        return bare;
    }

    @Test
    void statusListsStagedUnstagedAndUntrackedFiles() throws Exception {
        write("a.txt", "a\n");
        write("b.txt", "b\n");
        commitAll("first");
        write("a.txt", "a changed\n");
        write("b.txt", "b staged\n");
        git.add().addFilepattern("b.txt").call();
        write("new/c.txt", "c\n");
        client();
        Map<String, Object> s = ok("git_status", Map.of("dir", "proj"));
        assertEquals("main", s.get("branch"));
        assertEquals(List.of(Map.of("path", "b.txt", "change", "modified")), s.get("staged"));
        assertEquals(List.of(Map.of("path", "a.txt", "change", "modified")), s.get("unstaged"));
        assertEquals(List.of("new/c.txt"), s.get("untracked"));
        assertEquals(false, s.get("clean"));
    }

    @Test
    void statusWorksFromASubfolderOfTheRepository() throws Exception {
        write("sub/x.txt", "x\n");
        commitAll("first");
        client();
        Map<String, Object> s = ok("git_status", Map.of("dir", "proj/sub"));
        assertEquals(true, s.get("clean"));
        assertEquals(work.toRealPath().toString(), s.get("workTree"));
    }

    @Test
    void statusReportsAheadOfUpstream() throws Exception {
        write("a.txt", "a\n");
        commitAll("first");
        bareRemote("remote.git");
        client();
        ok("git_push", Map.of("dir", "proj"));
        git.getRepository().getConfig().setString("branch", "main", "remote", "origin");
        git.getRepository().getConfig().setString("branch", "main", "merge", "refs/heads/main");
        git.getRepository().getConfig().save();
        write("a.txt", "a2\n");
        commitAll("second");
        Map<String, Object> s = ok("git_status", Map.of("dir", "proj"));
        assertEquals("origin/main", s.get("upstream"));
        assertEquals(1, s.get("ahead"));
        assertEquals(0, s.get("behind"));
    }

    @Test
    void folderThatIsNotARepositoryIsAnError() throws Exception {
        Files.createDirectories(root.resolve("plain"));
        client();
        assertTrue(error("git_status", Map.of("dir", "plain")).contains("not inside a git repository"));
    }

    @Test
    void refusesDirOutsideTheRoots() throws Exception {
        Path outside = dir.resolve("outside");
        Git.init().setDirectory(outside.toFile()).call().close();
        client();
        assertTrue(error("git_status", Map.of("dir", outside.toString())).contains("outside the roots"));
        assertTrue(error("git_log", Map.of("dir", "../outside")).contains("outside the roots"));
    }

    @Test
    void refusesPathThatEscapesRootViaSymlink() throws Exception {
        Path outside = dir.resolve("outside");
        Git.init().setDirectory(outside.toFile()).call().close();
        Files.createSymbolicLink(root.resolve("link"), outside);
        client();
        assertTrue(error("git_status", Map.of("dir", "link")).contains("outside the roots"));
    }

    @Test
    void doesNotClimbAboveTheRootToAnEnclosingRepository() throws Exception {
        // the hub's root is a plain folder inside the repository: the repository is not inside the roots
        root = Files.createDirectories(work.resolve("inner"));
        client();
        assertTrue(error("git_status", Map.of()).contains("not inside a git repository"));
    }

    @Test
    void diffWorktreeShowsUnstagedChangesButNotUntrackedFiles() throws Exception {
        write("a.txt", "one\n");
        commitAll("first");
        write("a.txt", "two\n");
        write("untracked.txt", "new\n");
        client();
        Map<String, Object> d = ok("git_diff", Map.of("dir", "proj"));
        String text = (String) d.get("diff");
        assertTrue(text.contains("-one\n+two\n"), text);
        assertFalse(text.contains("untracked.txt"), text);
        assertEquals(List.of(Map.of("path", "a.txt", "change", "modified")), d.get("files"));
    }

    @Test
    void diffStagedComparesIndexWithHead() throws Exception {
        write("a.txt", "one\n");
        commitAll("first");
        write("b.txt", "bee\n");
        git.add().addFilepattern("b.txt").call();
        write("a.txt", "unstaged\n");
        client();
        Map<String, Object> d = ok("git_diff", Map.of("dir", "proj", "mode", "staged"));
        assertEquals(List.of(Map.of("path", "b.txt", "change", "added")), d.get("files"));
        assertTrue(((String) d.get("diff")).contains("+bee"));
    }

    @Test
    void diffBetweenTwoRevisions() throws Exception {
        write("a.txt", "one\n");
        RevCommit first = commitAll("first");
        write("a.txt", "two\n");
        write("gone.txt", "x\n");
        commitAll("second");
        Files.delete(work.resolve("gone.txt"));
        commitAll("third");
        client();
        Map<String, Object> d = ok("git_diff", Map.of("dir", "proj", "mode", "revisions", "from", first.name()));
        assertEquals(List.of(Map.of("path", "a.txt", "change", "modified")), d.get("files"));
        Map<String, Object> d2 =
                ok("git_diff", Map.of("dir", "proj", "mode", "revisions", "from", "HEAD~1", "to", "HEAD"));
        assertEquals(List.of(Map.of("path", "gone.txt", "change", "deleted")), d2.get("files"));
    }

    @Test
    void diffOfUnknownRevisionIsAnError() throws Exception {
        write("a.txt", "one\n");
        commitAll("first");
        client();
        assertTrue(error("git_diff", Map.of("dir", "proj", "mode", "revisions", "from", "nope"))
                .contains("'nope'"));
    }

    @Test
    void diffIsCutAtMaxBytesButListsEveryFile() throws Exception {
        write("a.txt", "x\n");
        write("b.txt", "y\n");
        commitAll("first");
        write("a.txt", "x\n".repeat(5000));
        write("b.txt", "z\n");
        client();
        Map<String, Object> d = ok("git_diff", Map.of("dir", "proj", "max_bytes", 1000));
        assertEquals(true, d.get("truncated"));
        assertTrue(((String) d.get("diff")).length() <= 1000);
        assertEquals(2, ((List<?>) d.get("files")).size());
    }

    @Test
    @SuppressWarnings("unchecked")
    void logReturnsNewestFirstAndFiltersByPath() throws Exception {
        write("a.txt", "1\n");
        commitAll("touch a");
        write("b.txt", "1\n");
        commitAll("touch b");
        write("a.txt", "2\n");
        commitAll("touch a again");
        client();
        List<Map<String, Object>> all = (List<Map<String, Object>>)
                ok("git_log", Map.of("dir", "proj", "n", 2)).get("commits");
        assertEquals(
                List.of("touch a again", "touch b"),
                all.stream().map(c -> c.get("subject")).toList());
        assertEquals("Repo Author", all.get(0).get("author"));
        List<Map<String, Object>> onlyA = (List<Map<String, Object>>)
                ok("git_log", Map.of("dir", "proj", "path", "a.txt")).get("commits");
        assertEquals(
                List.of("touch a again", "touch a"),
                onlyA.stream().map(c -> c.get("subject")).toList());
    }

    @Test
    void logOfEmptyRepositoryIsEmpty() {
        client();
        assertEquals(List.of(), ok("git_log", Map.of("dir", "proj")).get("commits"));
    }

    @Test
    void commitStagesNewModifiedAndDeletedFiles() throws Exception {
        write("keep.txt", "1\n");
        write("drop.txt", "1\n");
        commitAll("first");
        write("keep.txt", "2\n");
        Files.delete(work.resolve("drop.txt"));
        write("new.txt", "n\n");
        client();
        Map<String, Object> c = ok("git_commit", Map.of("dir", "proj", "message", "second\n\nbody"));
        assertEquals(git.getRepository().resolve("HEAD").name(), c.get("id"));
        assertEquals("second", c.get("subject"));
        assertEquals("Repo Author", c.get("author"));
        assertEquals("repo@example.org", c.get("email"));
        assertTrue(git.status().call().isClean());
    }

    @Test
    void commitRefusesAnEmptyCommit() throws Exception {
        write("a.txt", "1\n");
        commitAll("first");
        client();
        assertTrue(
                error("git_commit", Map.of("dir", "proj", "message", "nothing")).contains("nothing to commit"));
    }

    @Test
    void commitRefusesAnEmptyFirstCommit() {
        client();
        assertTrue(
                error("git_commit", Map.of("dir", "proj", "message", "nothing")).contains("nothing to commit"));
    }

    @Test
    void pushSendsTheBranchToABareRemote() throws Exception {
        write("a.txt", "1\n");
        RevCommit c = commitAll("first");
        Path bare = bareRemote("remote.git");
        client();
        Map<String, Object> p = ok("git_push", Map.of("dir", "proj"));
        assertEquals("ok", p.get("status"));
        assertEquals("refs/heads/main", p.get("destination"));
        try (Git remote = Git.open(bare.toFile())) {
            assertEquals(c.getId(), remote.getRepository().resolve("refs/heads/main"));
        }
        assertEquals(
                "up_to_date",
                ok("git_push", Map.of("dir", "proj", "remote", "origin")).get("status"));
    }

    @Test
    void pushThatIsNotAFastForwardIsRejectedClearly() throws Exception {
        write("a.txt", "1\n");
        commitAll("first");
        Path bare = bareRemote("remote.git");
        git.push().setRemote("origin").add("main").call();
        try (Git other = Git.cloneRepository()
                .setURI(bare.toUri().toString())
                .setDirectory(dir.resolve("other").toFile())
                .call()) {
            Files.writeString(dir.resolve("other/b.txt"), "theirs\n");
            other.add().addFilepattern(".").call();
            other.commit().setMessage("theirs").setAuthor("T", "t@x").call();
            other.push().call();
        }
        write("a.txt", "mine\n");
        commitAll("mine");
        client();
        String message = error("git_push", Map.of("dir", "proj"));
        assertTrue(message.contains("rejected") && message.contains("not a fast-forward"), message);
        String forced = error("git_push", Map.of("dir", "proj", "force", true));
        assertTrue(forced.contains("allow_force"), forced);
    }

    @Test
    void forcePushWorksWhenTheHubAllowsIt() throws Exception {
        write("a.txt", "1\n");
        commitAll("first");
        Path bare = bareRemote("remote.git");
        git.push().setRemote("origin").add("main").call();
        git.commit().setAmend(true).setMessage("rewritten").call();
        GitSettings allow =
                new GitSettings(Optional.empty(), Optional.empty(), true, 1000, List.of(), dir.resolve("home"));
        client(allow);
        assertTrue(error("git_push", Map.of("dir", "proj")).contains("not a fast-forward"));
        Map<String, Object> p = ok("git_push", Map.of("dir", "proj", "force", true));
        assertEquals(true, p.get("forced"));
        try (Git remote = Git.open(bare.toFile())) {
            assertEquals(
                    git.getRepository().resolve("HEAD"), remote.getRepository().resolve("refs/heads/main"));
        }
    }

    @Test
    void pushToUnknownRemoteNamesTheConfiguredOnes() throws Exception {
        write("a.txt", "1\n");
        commitAll("first");
        bareRemote("remote.git");
        client();
        String message = error("git_push", Map.of("dir", "proj", "remote", "upstream"));
        assertTrue(message.contains("'upstream'") && message.contains("origin"), message);
    }

    @Test
    void readOnlyToolsAreAnnotatedSoAndPushIsDestructive() {
        client();
        Map<String, McpSchema.ToolAnnotations> byName = new java.util.HashMap<>();
        client.listTools().tools().forEach(t -> byName.put(t.name(), t.annotations()));
        for (String name : List.of("git_status", "git_diff", "git_log")) {
            assertTrue(byName.get(name).readOnlyHint(), name);
        }
        assertFalse(byName.get("git_commit").readOnlyHint());
        assertTrue(byName.get("git_push").destructiveHint());
        assertNull(byName.get("nope"));
    }
}
