package dev.tandem.hub.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.hash.Sha256;
import dev.tandem.hub.TestHub;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fs tools through a real hub and the SDK's own client. */
class FsToolsTest {
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
    void listShowsTypeAndSizeOneLevelDeep() throws IOException {
        Files.writeString(root.resolve("a.txt"), "hello");
        Files.createDirectories(root.resolve("src/deep"));
        Files.writeString(root.resolve("src/deep/b.txt"), "x");
        List<Map<String, Object>> entries = entries(ok("fs_list", Map.of()));
        assertEquals(
                List.of("a.txt", "src"),
                entries.stream().map(e -> e.get("path")).toList());
        assertEquals("file", entries.get(0).get("type"));
        assertEquals(5, ((Number) entries.get(0).get("size")).intValue());
        assertEquals("dir", entries.get(1).get("type"));
    }

    @Test
    void listRecursesToTheGivenDepth() throws IOException {
        Files.createDirectories(root.resolve("src/deep/deeper"));
        Files.writeString(root.resolve("src/deep/deeper/c.txt"), "x");
        List<Object> paths = entries(ok("fs_list", Map.of("path", "src", "depth", 2))).stream()
                .map(e -> e.get("path"))
                .toList();
        assertEquals(List.of("deep", "deep/deeper"), paths);
    }

    @Test
    void listReportsSymlinkWithoutFollowingIt() throws IOException {
        Files.createSymbolicLink(root.resolve("link"), Path.of("/etc"));
        Map<String, Object> entry = entries(ok("fs_list", Map.of("depth", 3))).get(0);
        assertEquals("symlink", entry.get("type"));
    }

    @Test
    void readReturnsTheRequestedLineRangeAndTheFileHash() throws IOException {
        Files.writeString(root.resolve("f.txt"), "one\ntwo\nthree\nfour\n");
        Map<String, Object> out = ok("fs_read", Map.of("path", "f.txt", "start_line", 2, "end_line", 3));
        assertEquals("two\nthree\n", out.get("text"));
        assertEquals(4, out.get("totalLines"));
        assertEquals(Sha256.hex(Files.readAllBytes(root.resolve("f.txt"))), out.get("sha256"));
    }

    @Test
    void readStopsAtTheByteCapAndSaysTruncated() throws IOException {
        Files.writeString(root.resolve("f.txt"), "0123456789\n".repeat(10));
        Map<String, Object> out = ok("fs_read", Map.of("path", "f.txt", "max_bytes", 25));
        assertEquals("0123456789\n0123456789\n", out.get("text"));
        assertEquals(2, out.get("endLine"));
        assertEquals(true, out.get("truncated"));
    }

    @Test
    void readRefusesMaxBytesOverItsCeilingNamingIt() throws IOException {
        Files.writeString(root.resolve("f.txt"), "0123456789\n");
        String error = error("fs_read", Map.of("path", "f.txt", "max_bytes", FsReader.MAX_MAX_BYTES + 1));
        assertTrue(error.contains("max_bytes") && error.contains("1048576"), error);
    }

    @Test
    void readAcceptsMaxBytesAtItsCeiling() throws IOException {
        Files.writeString(root.resolve("f.txt"), "0123456789\n");
        Map<String, Object> out = ok("fs_read", Map.of("path", "f.txt", "max_bytes", FsReader.MAX_MAX_BYTES));
        assertEquals("0123456789\n", out.get("text"));
    }

    @Test
    void readRefusesBinaryFile() throws IOException {
        Files.write(root.resolve("b.bin"), new byte[] {'P', 'K', 3, 4, 0, 0, 1});
        String error = error("fs_read", Map.of("path", "b.bin"));
        assertEquals("b.bin: binary file (a NUL byte in the first 8 KiB), not read", error);
    }

    @Test
    void readOfMissingFileNamesIt() {
        assertEquals("nope.txt: no such file or folder", error("fs_read", Map.of("path", "nope.txt")));
    }

    @Test
    void searchFindsLiteralWithPathAndLine() throws IOException {
        Files.createDirectories(root.resolve("src"));
        Files.writeString(root.resolve("src/A.java"), "class A {\n  // TODO fix\n}\n");
        Files.writeString(root.resolve("B.md"), "no\nTODO: docs\n");
        List<Map<String, Object>> matches = matches(ok("fs_search", Map.of("query", "TODO")));
        assertEquals(2, matches.size());
        assertEquals(Map.of("path", "B.md", "line", 2, "text", "TODO: docs"), matches.get(0));
        assertEquals(Map.of("path", "src/A.java", "line", 2, "text", "  // TODO fix"), matches.get(1));
    }

    @Test
    void searchMatchesRegexOncePerLine() throws IOException {
        Files.writeString(root.resolve("a.txt"), "foo1 foo2\nbar\nfoo33\n");
        List<Map<String, Object>> matches = matches(ok("fs_search", Map.of("query", "^foo\\d+", "regex", true)));
        assertEquals(List.of(1, 3), matches.stream().map(m -> m.get("line")).toList());
    }

    @Test
    void searchRegexNeverMatchesAcrossALineBreak() throws IOException {
        Files.writeString(root.resolve("a.java"), "public static\nfinal int X;\npublic static final int Y;\n");
        List<Map<String, Object>> matches = matches(ok("fs_search", Map.of("query", "static\\s+final", "regex", true)));
        assertEquals(List.of(3), matches.stream().map(m -> m.get("line")).toList());
        List<Map<String, Object>> unfiltered = matches(ok("fs_search", Map.of("query", "c\\s+f", "regex", true)));
        assertEquals(List.of(3), unfiltered.stream().map(m -> m.get("line")).toList());
    }

    @Test
    void searchFindsNonAsciiLiteral() throws IOException {
        Files.writeString(root.resolve("u.txt"), "x\nnaïve café\n", StandardCharsets.UTF_8);
        List<Map<String, Object>> matches = matches(ok("fs_search", Map.of("query", "café")));
        assertEquals(List.of(Map.of("path", "u.txt", "line", 2, "text", "naïve café")), matches);
    }

    @Test
    void searchHonoursGitignoreIncludingNestedAndNegatedRules() throws IOException {
        Files.writeString(root.resolve(".gitignore"), "build/\n*.log\n!keep.log\n/sub/gen/\n");
        Files.createDirectories(root.resolve("sub/gen"));
        Files.writeString(root.resolve("sub/gen/generated.txt"), "needle\n");
        Files.createDirectories(root.resolve("build"));
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("sub/.gitignore"), "local.txt\n");
        Files.writeString(root.resolve("build/out.txt"), "needle\n");
        Files.writeString(root.resolve("x.log"), "needle\n");
        Files.writeString(root.resolve("keep.log"), "needle\n");
        Files.writeString(root.resolve("sub/local.txt"), "needle\n");
        Files.writeString(root.resolve("sub/kept.txt"), "needle\n");
        List<Object> paths = matches(ok("fs_search", Map.of("query", "needle"))).stream()
                .map(m -> m.get("path"))
                .toList();
        assertEquals(List.of("keep.log", "sub/kept.txt"), paths);
    }

    @Test
    void searchSkipsBinaryAndHiddenFiles() throws IOException {
        Files.write(root.resolve("b.bin"), "needle\0".getBytes(StandardCharsets.UTF_8));
        Files.writeString(root.resolve(".hidden"), "needle\n");
        Files.writeString(root.resolve("t.txt"), "needle\n");
        List<Object> paths = matches(ok("fs_search", Map.of("query", "needle"))).stream()
                .map(m -> m.get("path"))
                .toList();
        assertEquals(List.of("t.txt"), paths);
        assertEquals(
                2,
                matches(ok("fs_search", Map.of("query", "needle", "include_hidden", true)))
                        .size());
    }

    @Test
    void searchFiltersByGlobOnNameOrRelativePath() throws IOException {
        Files.createDirectories(root.resolve("src/main"));
        Files.writeString(root.resolve("src/main/A.java"), "needle\n");
        Files.writeString(root.resolve("src/B.kt"), "needle\n");
        Files.writeString(root.resolve("C.java"), "needle\n");
        assertEquals(
                2,
                matches(ok("fs_search", Map.of("query", "needle", "glob", "*.java")))
                        .size());
        assertEquals(
                1,
                matches(ok("fs_search", Map.of("query", "needle", "glob", "src/**/*.java")))
                        .size());
    }

    @Test
    void searchRefusesAGlobLongerThanTheLimitNamingTheArgument() throws IOException {
        Files.writeString(root.resolve("C.java"), "needle\n");
        String glob = "{" + "x,".repeat(Glob.MAX_CHARS / 2) + "*.java}";
        String e = error("fs_search", Map.of("query", "needle", "glob", glob));
        assertEquals(
                "glob: " + glob.length() + " characters is too long for a glob; the limit is " + Glob.MAX_CHARS, e);
    }

    @Test
    void searchTakesAGlobOfExactlyTheLimit() throws IOException {
        Files.writeString(root.resolve("C.java"), "needle\n");
        String head = "{" + "x,".repeat(Glob.MAX_CHARS / 2 - 5);
        String glob = head + "*".repeat(Glob.MAX_CHARS - head.length() - 6) + ".java}";
        assertEquals(Glob.MAX_CHARS, glob.length());
        assertEquals(
                1,
                matches(ok("fs_search", Map.of("query", "needle", "glob", glob)))
                        .size());
    }

    @Test
    void searchCapsResultsAndSaysTruncated() throws IOException {
        Files.writeString(root.resolve("many.txt"), "hit\n".repeat(50));
        Map<String, Object> out = ok("fs_search", Map.of("query", "hit", "max_results", 10));
        assertEquals(10, matches(out).size());
        assertEquals(true, out.get("truncated"));
    }

    @Test
    void searchRefusesInvalidRegexNamingIt() {
        String error = error("fs_search", Map.of("query", "(unclosed", "regex", true));
        assertTrue(error.startsWith("query: not a valid regular expression"), error);
    }

    @Test
    void searchSendsProgressNotificationsWhenAskedTo() throws Exception {
        for (int i = 0; i < FsSearcher.PROGRESS_EVERY + 10; i++) {
            Files.writeString(root.resolve("f" + i + ".txt"), "line " + i + "\n");
        }
        LinkedBlockingQueue<McpSchema.ProgressNotification> seen = new LinkedBlockingQueue<>();
        McpSyncClient watcher = hub.client("claude-code", spec -> spec.progressConsumer(seen::add));
        McpSchema.CallToolResult result = watcher.callTool(McpSchema.CallToolRequest.builder("fs_search")
                .arguments(Map.of("query", "line 7"))
                .progressToken("search-1")
                .build());
        assertFalse(result.isError());
        // the client hands notifications to its consumer on another thread: wait for it, not for a time
        McpSchema.ProgressNotification first = seen.poll(30, TimeUnit.SECONDS);
        assertNotNull(first, "no notifications/progress");
        assertEquals("search-1", first.progressToken());
        assertEquals(FsSearcher.PROGRESS_EVERY, first.progress());
    }

    @Test
    void writeCreatesFileAndParentFoldersInsideTheRoot() throws IOException {
        Map<String, Object> out = ok("fs_write", Map.of("path", "a/b/c.txt", "content", "hi\n"));
        assertEquals("hi\n", Files.readString(root.resolve("a/b/c.txt")));
        assertEquals(true, out.get("created"));
        assertEquals(root.resolve("a/b/c.txt").toString(), out.get("path"));
    }

    @Test
    void writeWithoutCreateParentsRefusesMissingFolder() {
        String error = error("fs_write", Map.of("path", "a/c.txt", "content", "x", "create_parents", false));
        assertTrue(error.contains("does not exist"), error);
        assertFalse(Files.exists(root.resolve("a")));
    }

    @Test
    void writeThroughSymlinkInsideTheRootWritesItsTarget() throws IOException {
        Files.writeString(root.resolve("AGENTS.md"), "old\n");
        Files.createSymbolicLink(root.resolve("CLAUDE.md"), Path.of("AGENTS.md"));
        ok("fs_write", Map.of("path", "CLAUDE.md", "content", "new\n"));
        assertTrue(Files.isSymbolicLink(root.resolve("CLAUDE.md")));
        assertEquals("new\n", Files.readString(root.resolve("AGENTS.md")));
    }

    @Test
    void writeKeepsTheFilesReadAndWritePermissionsButNeverExecute() throws IOException {
        Path script = root.resolve("run.sh");
        Files.writeString(script, "#!/bin/sh\n");
        Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
        ok("fs_write", Map.of("path", "run.sh", "content", "#!/bin/sh\necho hi\n"));
        assertEquals(
                "rw-r-----",
                java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(script)));
    }

    @Test
    void writeWithoutOverwriteRefusesExistingFile() throws IOException {
        Files.writeString(root.resolve("f.txt"), "keep");
        String error = error("fs_write", Map.of("path", "f.txt", "content", "x", "overwrite", false));
        assertEquals("f.txt: exists (overwrite is false)", error);
        assertEquals("keep", Files.readString(root.resolve("f.txt")));
    }

    @Test
    void replaceChangesTheOneOccurrence() throws IOException {
        Files.writeString(root.resolve("f.txt"), "alpha beta gamma\n");
        Map<String, Object> out = ok("fs_replace", Map.of("path", "f.txt", "old_text", "beta", "new_text", "BETA"));
        assertEquals("alpha BETA gamma\n", Files.readString(root.resolve("f.txt")));
        assertEquals(Sha256.hex(Files.readAllBytes(root.resolve("f.txt"))), out.get("sha256"));
    }

    @Test
    void replaceRefusesSnippetThatIsAbsentAndLeavesFileUntouched() throws IOException {
        Files.writeString(root.resolve("f.txt"), "alpha\n");
        String error = error("fs_replace", Map.of("path", "f.txt", "old_text", "beta", "new_text", "x"));
        assertEquals("f.txt: old_text occurs 0 times, expected exactly once; file untouched", error);
        assertEquals("alpha\n", Files.readString(root.resolve("f.txt")));
    }

    @Test
    void replaceRefusesAFileLargerThanTheEditLimitNamingItAndLeavesItUntouched() throws IOException {
        Path big = root.resolve("big.txt");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(FsWriter.MAX_EDIT_BYTES + 1); // sparse: no disk used, and never read
        }
        String error = error("fs_replace", Map.of("path", "big.txt", "old_text", "a", "new_text", "b"));
        assertEquals(
                big + ": " + (FsWriter.MAX_EDIT_BYTES + 1) + " bytes, larger than the limit of "
                        + FsWriter.MAX_EDIT_BYTES + " bytes",
                error);
        assertEquals(FsWriter.MAX_EDIT_BYTES + 1, Files.size(big));
    }

    @Test
    void replaceRefusesSnippetThatOccursTwiceAndLeavesFileUntouched() throws IOException {
        Files.writeString(root.resolve("f.txt"), "x = 1;\nx = 1;\n");
        String error = error("fs_replace", Map.of("path", "f.txt", "old_text", "x = 1;", "new_text", "x = 2;"));
        assertEquals("f.txt: old_text occurs 2 times, expected exactly once; file untouched", error);
        assertEquals("x = 1;\nx = 1;\n", Files.readString(root.resolve("f.txt")));
    }

    @Test
    void replaceRefusesStaleEditWhenTheHashDiffers() throws IOException {
        Files.writeString(root.resolve("f.txt"), "v1\n");
        String staleHash = Sha256.hex("v0\n".getBytes(StandardCharsets.UTF_8));
        String error = error(
                "fs_replace",
                Map.of("path", "f.txt", "old_text", "v1", "new_text", "v2", "expected_sha256", staleHash));
        assertTrue(error.contains("not the expected " + staleHash), error);
        assertEquals("v1\n", Files.readString(root.resolve("f.txt")));
    }

    @Test
    void replaceAcceptsTheCurrentHash() throws IOException {
        Files.writeString(root.resolve("f.txt"), "v1\n");
        String hash = (String) ok("fs_read", Map.of("path", "f.txt")).get("sha256");
        ok("fs_replace", Map.of("path", "f.txt", "old_text", "v1", "new_text", "v2", "expected_sha256", hash));
        assertEquals("v2\n", Files.readString(root.resolve("f.txt")));
    }

    @Test
    void toolsDeclareTruthfulAnnotationsAndOutputSchemas() {
        Map<String, McpSchema.Tool> tools = new java.util.HashMap<>();
        client.listTools().tools().forEach(t -> tools.put(t.name(), t));
        for (String read : List.of("fs_list", "fs_read", "fs_search")) {
            assertTrue(tools.get(read).annotations().readOnlyHint(), read);
            assertFalse(tools.get(read).annotations().destructiveHint(), read);
        }
        assertFalse(tools.get("fs_write").annotations().readOnlyHint());
        assertTrue(tools.get("fs_write").annotations().destructiveHint());
        assertTrue(tools.get("fs_write").annotations().idempotentHint());
        assertFalse(tools.get("fs_replace").annotations().idempotentHint());
        tools.values().forEach(t -> assertTrue(t.outputSchema().containsKey("properties"), t.name()));
    }

    @Test
    void everyFsToolDescriptionNamesTheRoots() {
        client.listTools().tools().stream()
                .filter(t -> t.name().startsWith("fs_"))
                .forEach(t -> assertTrue(
                        t.description()
                                .endsWith(
                                        " Roots: " + root + "; a relative path is " + "resolved against " + root + "."),
                        t.description()));
    }

    private Map<String, Object> ok(String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = client.callTool(
                McpSchema.CallToolRequest.builder(tool).arguments(args).build());
        assertFalse(r.isError(), () -> tool + " failed: " + r.content());
        @SuppressWarnings("unchecked")
        Map<String, Object> out = (Map<String, Object>) r.structuredContent();
        return out;
    }

    private String error(String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = client.callTool(
                McpSchema.CallToolRequest.builder(tool).arguments(args).build());
        assertTrue(r.isError(), () -> tool + " succeeded: " + r.structuredContent());
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> entries(Map<String, Object> out) {
        return (List<Map<String, Object>>) out.get("entries");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> matches(Map<String, Object> out) {
        return (List<Map<String, Object>>) out.get("matches");
    }
}
