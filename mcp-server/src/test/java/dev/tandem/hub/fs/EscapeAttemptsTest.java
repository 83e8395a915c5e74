package dev.tandem.hub.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.hub.TestHub;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way out of the root we could think of, tried through the real tools: all refused, nothing outside touched. */
class EscapeAttemptsTest {
    static Path base;
    static TestHub hub;
    static McpSyncClient client;
    static Map<String, String> before;

    @BeforeAll
    static void setUp() throws Exception {
        base = Files.createTempDirectory("tandem-escape").toRealPath();
        Path root = Files.createDirectories(base.resolve("root"));
        Path outside = Files.createDirectories(base.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "outside secret\n");
        Path evil = Files.createDirectories(base.resolve("root-evil"));
        Files.writeString(evil.resolve("secret.txt"), "sibling secret\n");
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("ok.txt"), "inside\n");
        Files.createSymbolicLink(root.resolve("out"), Path.of("../outside"));
        Files.createSymbolicLink(root.resolve("secret-link"), Path.of("../outside/secret.txt"));
        Files.createSymbolicLink(root.resolve("hop"), Path.of("../outside"));
        Files.createSymbolicLink(root.resolve("chain"), Path.of("hop"));
        Files.createSymbolicLink(root.resolve("sub/up"), Path.of("../.."));
        Files.createSymbolicLink(root.resolve("sub/abs-link"), Path.of("/etc"));
        Files.createSymbolicLink(root.resolve("dangling-out"), Path.of("../outside/nothing-here.txt"));
        Files.createSymbolicLink(root.resolve("evil-link"), Path.of("../root-evil"));
        Files.createSymbolicLink(root.resolve("loop-a"), Path.of("loop-b"));
        Files.createSymbolicLink(root.resolve("loop-b"), Path.of("loop-a"));
        Process mkfifo = new ProcessBuilder("mkfifo", root.resolve("fifo").toString()).start();
        assertEquals(0, mkfifo.waitFor());
        hub = TestHub.start(base);
        client = hub.client("claude-code");
        before = snapshot();
    }

    @AfterAll
    static void tearDown() throws IOException {
        hub.close();
        try (Stream<Path> all = Files.walk(base)) {
            all.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }

    static Stream<Arguments> attempts() {
        String abs = base.toString();
        String longName = "x".repeat(300);
        String longPath = "abcdefgh/".repeat(600);
        return Stream.of(
                read("../outside/secret.txt"),
                read(abs + "/outside/secret.txt"),
                read("sub/../../outside/secret.txt"),
                read("out/secret.txt"),
                read("secret-link"),
                read("/etc/passwd"),
                read("/dev/null"),
                read("/proc/self/environ"),
                read("ok\0.txt"),
                read(longName),
                read(longPath),
                read("fifo"),
                read(abs + "/root/../outside/secret.txt"),
                read("chain/secret.txt"),
                read("sub/up/outside/secret.txt"),
                read(abs + "/root-evil/secret.txt"),
                read("evil-link/secret.txt"),
                read("loop-a"),
                read("sub/abs-link/passwd"),
                read("./././../outside/secret.txt"),
                call("fs_list", Map.of("path", "..")),
                call("fs_list", Map.of("path", "/")),
                call("fs_list", Map.of("path", "out")),
                call("fs_list", Map.of("path", "sub/up")),
                call("fs_search", Map.of("path", "out", "query", "secret")),
                call("fs_search", Map.of("path", "../outside", "query", "secret")),
                call("fs_search", Map.of("path", "secret-link", "query", "secret")),
                write("out/new.txt"),
                write("secret-link"),
                write("dangling-out"),
                write("out/newdir/x.txt"),
                write("../outside/new.txt"),
                write(abs + "/outside-abs.txt"),
                write("sub/\0x"),
                write("./././../outside/new2.txt"),
                write("fifo"),
                write("sub/up/outside/new3.txt"),
                write("chain/new4.txt"),
                write(longName),
                call("fs_replace", Map.of("path", "secret-link", "old_text", "outside", "new_text", "pwned")),
                call("fs_replace", Map.of("path", "out/secret.txt", "old_text", "outside", "new_text", "pwned")),
                call("fs_replace", Map.of("path", "../root-evil/secret.txt", "old_text", "sibling", "new_text", "x")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("attempts")
    void refusesEscapeAndTouchesNothingOutside(String tool, Map<String, Object> args) throws IOException {
        McpSchema.CallToolResult result = client.callTool(
                McpSchema.CallToolRequest.builder(tool).arguments(args).build());
        String text = ((McpSchema.TextContent) result.content().get(0)).text();
        assertTrue(result.isError(), () -> tool + " " + args + " was not refused: " + text);
        assertTrue(text.contains("refused"), () -> "no rule named: " + text);
        String shown = FsException.show(args.get("path").toString());
        assertTrue(text.startsWith(shown.substring(0, Math.min(40, shown.length()))), () -> "path not named: " + text);
        assertEquals(before, snapshot(), "something outside the root changed");
    }

    private static Arguments read(String path) {
        return call("fs_read", Map.of("path", path));
    }

    private static Arguments write(String path) {
        return call("fs_write", Map.of("path", path, "content", "pwned"));
    }

    private static Arguments call(String tool, Map<String, Object> args) {
        return Arguments.of(tool, new HashMap<>(args));
    }

    /** Returns every path outside the root (and the root's links) with its content, to prove nothing changed. */
    private static Map<String, String> snapshot() throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(base)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                String rel = base.relativize(p).toString();
                if ((rel.startsWith("root/") && !Files.isSymbolicLink(p)) || rel.startsWith("home")) {
                    continue;
                }
                out.put(
                        rel,
                        Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                                ? Files.readString(p, StandardCharsets.UTF_8)
                                : Files.isSymbolicLink(p) ? "-> " + Files.readSymbolicLink(p) : "dir");
            }
        }
        return out;
    }
}
