package dev.tandem.hub.mcp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.hub.TestHub;
import dev.tandem.hub.git.GitService;
import dev.tandem.hub.git.GitSettings;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * A hub with only the git tools, rooted at {@code dir/root}, and the repository {@code dir/root/proj} made with
 * JGit: the shared harness of the git attacker tests. Hostile git metadata is written straight to disk, as a
 * malicious clone would bring it, never through the hub.
 */
final class GitFixture implements AutoCloseable {
    final Path dir;
    final Path root;
    final Path work;
    final Git git;
    private TestHub hub;
    private McpSyncClient client;

    GitFixture(Path dir) {
        this.dir = dir;
        try {
            root = Files.createDirectories(dir.resolve("root"));
            work = root.resolve("proj");
            git = Git.init()
                    .setDirectory(work.toFile())
                    .setInitialBranch("main")
                    .call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (org.eclipse.jgit.api.errors.GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts the hub (once) with the default git settings. */
    GitFixture start() {
        return start(GitSettings.defaults(dir.resolve("home")));
    }

    GitFixture start(GitSettings settings) {
        hub = TestHub.start(dir, List.of(new GitCapability(new GitService(List.of(root), settings))));
        client = hub.client("claude-code");
        return this;
    }

    TestHub hub() {
        return hub;
    }

    McpSchema.CallToolResult call(String tool, Map<String, Object> args) {
        return client.callTool(
                McpSchema.CallToolRequest.builder(tool).arguments(args).build());
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> ok(String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = call(tool, args);
        assertFalse(Boolean.TRUE.equals(r.isError()), () -> tool + " failed: " + text(r));
        return (Map<String, Object>) r.structuredContent();
    }

    String error(String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = call(tool, args);
        assertTrue(Boolean.TRUE.equals(r.isError()), () -> tool + " should fail but returned " + text(r));
        String text = text(r);
        assertFalse(text.contains("\n"), () -> "error is not one line: " + text);
        return text;
    }

    static String text(McpSchema.CallToolResult r) {
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }

    /** Returns everything a tool answered: its text and its structured content. */
    static String everything(McpSchema.CallToolResult r) {
        return text(r) + " " + r.structuredContent();
    }

    void write(String path, String text) {
        try {
            Path p = work.resolve(path);
            Files.createDirectories(p.getParent());
            Files.writeString(p, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    RevCommit commitAll(String message) throws Exception {
        git.add().addFilepattern(".").setAll(true).call();
        return git.commit()
                .setMessage(message)
                .setAuthor("A", "a@x")
                .setSign(false)
                .call();
    }

    /** Makes an empty bare repository (branch {@code main}) at {@code path} and returns the path. */
    static Path bare(Path path) throws Exception {
        Git.init()
                .setBare(true)
                .setDirectory(path.toFile())
                .setInitialBranch("main")
                .call()
                .close();
        return path;
    }

    /** Appends raw text to {@code proj/.git/config}, as a hostile clone (or a hand edit) would. */
    void appendConfig(String text) {
        append(work.resolve(".git/config"), text);
    }

    static void append(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes an executable {@code sh} script. */
    static void script(Path file, String body) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, "#!/bin/sh\n" + body + "\n");
            file.toFile().setExecutable(true, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lists the files in {@code folder} (none when it does not exist). */
    static List<String> files(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (hub != null) {
            hub.close();
        }
        git.close();
    }
}
