package dev.tandem.hub.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.hub.TestHub;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An agent must not plant git configuration, hooks or a {@code .git} indirection with the fs tools: git (or JGit)
 * would later run what it wrote. Tried through the real hub against real repositories.
 */
class GitMetadataWriteTest {
    @TempDir
    Path dir;

    TestHub hub;
    McpSyncClient client;
    Path root;

    @BeforeEach
    void start() throws Exception {
        hub = TestHub.start(dir);
        client = hub.client("codex-mcp-client");
        root = dir.resolve("root").toRealPath();
        Git.init().setDirectory(root.toFile()).call().close();
        Git.init().setDirectory(root.resolve("sub").toFile()).call().close();
        Files.createDirectories(root.resolve("worktree"));
        Files.writeString(root.resolve("worktree/.git"), "gitdir: ../.git\n");
        Files.createSymbolicLink(root.resolve("gitlink"), Path.of(".git"));
        Files.createSymbolicLink(root.resolve("cfg"), Path.of(".git/config"));
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                ".git/config",
                ".git/hooks/pre-commit",
                "sub/.git/config",
                "sub/.git/hooks/post-checkout",
                "worktree/.git",
                "fresh/.git",
                "fresh/.git/config",
                "deeper/a/b/.git/hooks/x",
                ".GIT/config",
                ".Git/hooks/pre-commit",
                "sub/.git./config",
                "sub/git~1/config",
                "sub/.git\u200c/config",
                "gitlink/config",
                "gitlink/hooks/pre-commit",
                "cfg",
                "sub/../.git/config",
                "./sub/./.git/info/attributes"
            })
    void writeToGitMetadataIsRefusedAndNothingChanges(String path) throws IOException {
        Map<String, String> before = snapshot();
        String error =
                error("fs_write", Map.of("path", path, "content", "[filter \"x\"]\n\tclean = touch /tmp/pwned\n"));
        assertTrue(error.startsWith(FsException.show(path) + ": refused: "), error);
        assertTrue(error.contains(".git"), error);
        assertFalse(error.contains("\n"), error);
        assertEquals(before, snapshot());
    }

    @ParameterizedTest
    @ValueSource(strings = {".git/config", "sub/.git/config", "gitlink/config", "cfg", "worktree/.git"})
    void replaceInGitMetadataIsRefusedAndNothingChanges(String path) throws IOException {
        Map<String, String> before = snapshot();
        String old = path.startsWith("worktree") ? "gitdir" : "[core]";
        String error =
                error("fs_replace", Map.of("path", path, "old_text", old, "new_text", "[core]\n\thooksPath = h"));
        assertTrue(error.startsWith(FsException.show(path) + ": refused: "), error);
        assertEquals(before, snapshot());
    }

    @Test
    void ordinaryFilesBesideGitMetadataAreStillWritten() throws IOException {
        ok("fs_write", Map.of("path", ".gitignore", "content", "build/\n"));
        ok("fs_write", Map.of("path", "sub/.github/workflows/ci.yml", "content", "on: push\n"));
        ok("fs_write", Map.of("path", "notes/git/config.md", "content", "x\n"));
        assertEquals("build/\n", Files.readString(root.resolve(".gitignore")));
        assertTrue(Files.exists(root.resolve("sub/.github/workflows/ci.yml")));
    }

    @Test
    void overwriteDropsTheExecutableBits() throws Exception {
        Path script = Files.createDirectories(root.resolve("scripts")).resolve("run.sh");
        Files.writeString(script, "#!/bin/sh\n");
        Process chmod = new ProcessBuilder("chmod", "6755", script.toString()).start();
        assertEquals(0, chmod.waitFor());
        assertEquals(06755, mode(script) & 07777, "the test set setuid, setgid and x");
        ok("fs_write", Map.of("path", "scripts/run.sh", "content", "#!/bin/sh\necho hi\n"));
        assertEquals(0644, mode(script) & 07777);
    }

    @Test
    void replaceDropsTheExecutableBitsToo() throws Exception {
        Path script = root.resolve("tool.sh");
        Files.writeString(script, "#!/bin/sh\necho one\n");
        Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
        ok("fs_replace", Map.of("path", "tool.sh", "old_text", "one", "new_text", "two"));
        assertEquals(0640, mode(script) & 07777);
    }

    private static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    }

    private Map<String, String> snapshot() throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                out.put(
                        root.relativize(p).toString(),
                        Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                                ? Files.readString(p, StandardCharsets.ISO_8859_1)
                                : Files.isSymbolicLink(p) ? "-> " + Files.readSymbolicLink(p) : "dir");
            }
        }
        return out;
    }

    private void ok(String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = client.callTool(
                McpSchema.CallToolRequest.builder(tool).arguments(args).build());
        assertFalse(r.isError(), () -> tool + " failed: " + r.content());
    }

    private String error(String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = client.callTool(
                McpSchema.CallToolRequest.builder(tool).arguments(args).build());
        assertTrue(r.isError(), () -> tool + " " + args + " succeeded: " + r.structuredContent());
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }
}
