package dev.tandem.hub.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tandem.hub.TestHub;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real hub reached by the SDK's client: {@code fs_write} never gives a folder the shape by which git takes it for a
 * git directory ({@code HEAD}, {@code objects} and {@code refs}, or {@code HEAD} and {@code commondir}, as git's
 * {@code is_git_directory} in {@code setup.c} tells), in whatever order the pieces are written; git run there would
 * read the configuration the agent wrote beside them and run the programs it names.
 */
class FsWriteGitShapeTest {
    private static final Path GIT = Path.of("/usr/bin/git");
    private static final Map<String, String> PIECES = Map.of(
            "config", "[core]\n\tfsmonitor = touch pwned\n",
            "HEAD", "ref: refs/heads/main\n",
            "objects/keep", "",
            "refs/keep", "");

    @TempDir
    Path dir;

    TestHub hub;
    McpSyncClient client;
    Path root;

    @BeforeEach
    void start() throws IOException {
        hub = TestHub.start(dir);
        client = hub.client("codex-mcp-client");
        root = dir.resolve("root").toRealPath();
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @Test
    void theWriteThatWouldCompleteAGitDirectoryIsRefusedInEveryOrder() throws Exception {
        List<List<String>> orders = permutations(List.of("config", "HEAD", "objects/keep", "refs/keep"));
        assertEquals(24, orders.size());
        for (int i = 0; i < orders.size(); i++) {
            List<String> order = orders.get(i);
            String folder = "p" + i + "/src";
            // the fs tools stay one piece short of git: a HEAD beside objects or refs is refused
            java.util.Set<String> written = new java.util.HashSet<>();
            int refused = 0;
            for (String piece : order) {
                Map<String, Object> args =
                        Map.of("path", folder + "/" + piece, "content", PIECES.get(piece), "create_parents", true);
                java.util.Set<String> after = new java.util.HashSet<>(written);
                after.add(piece.replace("/keep", ""));
                boolean oneShort = after.contains("HEAD") && (after.contains("objects") || after.contains("refs"));
                if (oneShort) {
                    String e = error("fs_write", args);
                    assertTrue(e.startsWith(folder + "/" + piece + ": refused:") && e.contains("git directory"), e);
                    assertFalse(Files.exists(root.resolve(folder).resolve(piece)), order + " " + piece);
                    refused++;
                } else {
                    ok("fs_write", args);
                    written = after;
                }
            }
            assertTrue(refused > 0, order.toString());
            assertNotAGitDirectory(root.resolve(folder), false);
            assertNotAGitDirectory(root.resolve(folder), true);
        }
    }

    @Test
    void headBesideOnePieceIsRefusedSoNoOtherProgramOrVariableCompletesIt() throws Exception {
        // HEAD and refs written, objects left to a build or to GIT_OBJECT_DIRECTORY: git 2.39 takes HEAD and refs
        // alone for a git directory when GIT_OBJECT_DIRECTORY is set
        ok("fs_write", Map.of("path", "h/config", "content", PIECES.get("config"), "create_parents", true));
        ok("fs_write", Map.of("path", "h/refs/keep", "content", "", "create_parents", true));
        String e = error("fs_write", Map.of("path", "h/HEAD", "content", PIECES.get("HEAD")));
        assertTrue(e.contains("one piece short"), e);
        assertNotAGitDirectory(root.resolve("h"), true);
        ok("fs_write", Map.of("path", "k/HEAD", "content", PIECES.get("HEAD"), "create_parents", true));
        e = error("fs_write", Map.of("path", "k/objects/keep", "content", "", "create_parents", true));
        assertTrue(e.contains("one piece short"), e);
        assertFalse(Files.exists(root.resolve("k/objects")));
        // a name a folding file system reads as HEAD counts as HEAD
        ok("fs_write", Map.of("path", "f/refs/keep", "content", "", "create_parents", true));
        e = error("fs_write", Map.of("path", "f/HE\u200cAD", "content", PIECES.get("HEAD")));
        assertTrue(e.contains("git directory"), e);
        e = error("fs_write", Map.of("path", "f/HEAD.", "content", PIECES.get("HEAD")));
        assertTrue(e.contains("git directory"), e);
    }

    @Test
    void theCommondirFormIsRefusedToo() throws Exception {
        ok("fs_write", Map.of("path", "w/commondir", "content", "../p\n", "create_parents", true));
        ok("fs_write", Map.of("path", "w/config", "content", PIECES.get("config")));
        String e = error("fs_write", Map.of("path", "w/HEAD", "content", "ref: refs/heads/main\n"));
        assertTrue(e.contains("git directory"), e);
        Files.createDirectories(root.resolve("v"));
        Files.writeString(root.resolve("v/HEAD"), "ref: refs/heads/main\n");
        e = error("fs_write", Map.of("path", "v/commondir", "content", "../p\n"));
        assertTrue(e.contains("git directory"), e);
        assertNotAGitDirectory(root.resolve("w"), false);
        assertNotAGitDirectory(root.resolve("v"), false);
    }

    @Test
    void aFolderWrittenThroughAnotherCaseOrALinkIsJudgedAsItWouldBe() throws Exception {
        ok("fs_write", Map.of("path", "q/objects/keep", "content", "", "create_parents", true));
        ok("fs_write", Map.of("path", "q/refs/keep", "content", "", "create_parents", true));
        Files.createSymbolicLink(root.resolve("alias"), Path.of("q"));
        String e = error("fs_write", Map.of("path", "alias/HEAD", "content", "ref: refs/heads/main\n"));
        assertTrue(e.contains("git directory"), e);
        assertFalse(Files.exists(root.resolve("q/HEAD")));
        assertNotAGitDirectory(root.resolve("q"), true);
    }

    @Test
    void replacingInAFolderShapedAsAGitDirectoryIsRefused() throws Exception {
        Path g = Files.createDirectories(root.resolve("g"));
        Files.writeString(g.resolve("HEAD"), "not yet a ref\n");
        Files.createDirectories(g.resolve("objects"));
        Files.createDirectories(g.resolve("refs"));
        Files.writeString(g.resolve("config"), "[core]\n\tbare = true\n");
        String e =
                error("fs_replace", Map.of("path", "g/HEAD", "old_text", "not yet a ref", "new_text", "ref: refs/x"));
        assertTrue(e.contains("git directory"), e);
        e = error("fs_replace", Map.of("path", "g/config", "old_text", "bare = true", "new_text", "fsmonitor = x"));
        assertTrue(e.contains("git directory"), e);
        assertEquals("not yet a ref\n", Files.readString(g.resolve("HEAD")));
    }

    @Test
    void ordinaryFilesNamedLikeGitsPiecesStayWritable() throws Exception {
        for (String p : List.of(
                "docs/refs/x.md",
                "docs/config",
                "notes/HEAD",
                "app/objects/model.py",
                "app/refs/a.txt",
                "app/config",
                "cfg/config",
                "cfg/commondir")) {
            ok("fs_write", Map.of("path", p, "content", "x\n", "create_parents", true));
        }
        // a folder named HEAD is no HEAD file: git reads HEAD as a file or a link
        ok("fs_write", Map.of("path", "app/HEAD/notes.md", "content", "x\n", "create_parents", true));
        assertNotAGitDirectory(root.resolve("app"), false);
        assertNotAGitDirectory(root.resolve("docs"), false);
    }

    @Test
    void concurrentWritesNeverCompleteAGitDirectoryTogether() throws Exception {
        int folders = 12;
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<McpSchema.CallToolResult>> calls = new ArrayList<>();
            for (int i = 0; i < folders; i++) {
                for (String piece : List.of("HEAD", "objects/keep", "refs/keep")) {
                    Map<String, Object> args =
                            Map.of("path", "c" + i + "/" + piece, "content", PIECES.get(piece), "create_parents", true);
                    calls.add(pool.submit(() -> call("fs_write", args)));
                }
            }
            for (Future<McpSchema.CallToolResult> f : calls) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < folders; i++) {
            Path c = root.resolve("c" + i);
            boolean head = Files.exists(c.resolve("HEAD"));
            boolean other = Files.exists(c.resolve("objects")) || Files.exists(c.resolve("refs"));
            assertFalse(head && other, c.toString());
            assertTrue(head || other, c.toString());
        }
    }

    /** Asserts that the real git, run in {@code folder}, finds no git directory there or above (up to the test's). */
    private void assertNotAGitDirectory(Path folder, boolean objectsElsewhere)
            throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(GIT), "no git");
        ProcessBuilder b = new ProcessBuilder(GIT.toString(), "rev-parse", "--absolute-git-dir")
                .directory(folder.toFile())
                .redirectErrorStream(true);
        b.environment().put("GIT_CEILING_DIRECTORIES", dir.toRealPath().toString());
        b.environment().put("HOME", dir.toString());
        b.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        if (objectsElsewhere) {
            b.environment()
                    .put(
                            "GIT_OBJECT_DIRECTORY",
                            Files.createDirectories(dir.resolve("objects")).toString());
        }
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "git timed out");
        assertTrue(p.exitValue() != 0 && out.contains("not a git repository"), folder + ": " + out);
    }

    private static List<List<String>> permutations(List<String> items) {
        if (items.isEmpty()) {
            return List.of(List.of());
        }
        List<List<String>> out = new ArrayList<>();
        for (String first : items) {
            List<String> rest = new ArrayList<>(items);
            rest.remove(first);
            for (List<String> tail : permutations(rest)) {
                List<String> p = new ArrayList<>(List.of(first));
                p.addAll(tail);
                out.add(p);
            }
        }
        return out;
    }

    private void ok(String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = call(tool, args);
        assertFalse(r.isError(), () -> tool + " " + args + " failed: " + r.content());
    }

    private String error(String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = call(tool, args);
        assertTrue(r.isError(), () -> tool + " " + args + " succeeded: " + r.content());
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }

    private McpSchema.CallToolResult call(String tool, Map<String, Object> args) {
        return client.callTool(
                McpSchema.CallToolRequest.builder(tool).arguments(args).build());
    }
}
