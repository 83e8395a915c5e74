package dev.tandem.hub.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.hub.TestHub;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Patterns that make a backtracking engine run for hours, and patterns that match where a line ends: fs_search
 * answers each with the right lines. The time limit only says "it finished", never "it was fast".
 */
class PathologicalSearchTest {
    /** A line on which {@code (.*a){12}$} backtracks exponentially in java.util.regex: 29 a's, then b. */
    static final String EVIL_LINE = "a".repeat(29) + "b";

    static final Duration FINISHES = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    TestHub hub;
    McpSyncClient client;
    Path root;

    @BeforeEach
    void start() throws IOException {
        hub = TestHub.start(dir);
        client = hub.client("claude-code");
        root = dir.resolve("root").toRealPath();
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @Test
    void nestedQuantifierRegexOnAThirtyCharacterLineFinishesWithTheRightLines() throws IOException {
        Files.writeString(root.resolve("evil.txt"), EVIL_LINE + "\n" + "a".repeat(30) + "\n" + EVIL_LINE + "\n");
        Map<String, Object> out = finished("fs_search", Map.of("query", "(.*a){12}$", "regex", true));
        assertEquals(List.of(2), lines(out));
    }

    @Test
    void starHeavyGlobOverLongNamesFinishes() throws IOException {
        String name = "a".repeat(120);
        Files.writeString(root.resolve(name), "needle\n");
        Files.writeString(root.resolve(name + "b"), "needle\n");
        Map<String, Object> out = finished("fs_search", Map.of("query", "needle", "glob", "*a".repeat(14) + "*b"));
        assertEquals(List.of(name + "b"), paths(out));
    }

    @Test
    void starHeavyGitignoreRuleOverLongNamesFinishes() throws IOException {
        String name = "a".repeat(120);
        Files.writeString(root.resolve(".gitignore"), "*a".repeat(14) + "*b\n");
        Files.writeString(root.resolve(name), "needle\n");
        Map<String, Object> out = finished("fs_search", Map.of("query", "needle"));
        assertEquals(List.of(name), paths(out));
    }

    @Test
    void emptyLinePatternFindsTheEmptyLines() throws IOException {
        Files.writeString(root.resolve("f.txt"), "one\n\nthree\n\n");
        assertEquals(List.of(2, 4), lines(finished("fs_search", Map.of("query", "^$", "regex", true))));
    }

    @Test
    void trailingWhitespacePatternMatchesEveryLineIncludingTheLastWithoutBreak() throws IOException {
        Files.writeString(root.resolve("f.txt"), "one\r\ntwo  \nthree");
        Map<String, Object> out = finished("fs_search", Map.of("query", "\\s*$", "regex", true));
        assertEquals(List.of(1, 2, 3), lines(out));
        assertEquals(List.of("one", "two  ", "three"), texts(out));
    }

    @Test
    void dollarAloneMatchesEveryLine() throws IOException {
        Files.writeString(root.resolve("f.txt"), "a\nb\n");
        assertEquals(List.of(1, 2), lines(finished("fs_search", Map.of("query", "$", "regex", true))));
    }

    @Test
    void lookaroundIsRefusedWithOneLineNamingTheDialect() throws IOException {
        Files.writeString(root.resolve("f.txt"), "foobar\n");
        McpSchema.CallToolResult r = call("fs_search", Map.of("query", "foo(?=bar)", "regex", true));
        assertTrue(r.isError());
        String text = ((McpSchema.TextContent) r.content().get(0)).text();
        assertTrue(text.startsWith("query: not a valid regular expression"), text);
        assertTrue(text.contains("RE2"), text);
        assertFalse(text.contains("\n"), text);
    }

    @Test
    void ignoreCaseStillFoldsUnicode() throws IOException {
        Files.writeString(root.resolve("u.txt"), "x\nNAÏVE CAFÉ\n");
        assertEquals(List.of(2), lines(finished("fs_search", Map.of("query", "café", "ignore_case", true))));
        assertEquals(
                List.of(2), lines(finished("fs_search", Map.of("query", "na.ve", "regex", true, "ignore_case", true))));
    }

    private Map<String, Object> finished(String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = assertTimeoutPreemptively(FINISHES, () -> call(tool, args));
        assertFalse(r.isError(), () -> tool + " failed: " + r.content());
        @SuppressWarnings("unchecked")
        Map<String, Object> out = (Map<String, Object>) r.structuredContent();
        return out;
    }

    private McpSchema.CallToolResult call(String tool, Map<String, Object> args) {
        return client.callTool(
                McpSchema.CallToolRequest.builder(tool).arguments(args).build());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> matches(Map<String, Object> out) {
        return (List<Map<String, Object>>) out.get("matches");
    }

    private static List<Object> lines(Map<String, Object> out) {
        return matches(out).stream().map(m -> m.get("line")).toList();
    }

    private static List<Object> texts(Map<String, Object> out) {
        return matches(out).stream().map(m -> m.get("text")).toList();
    }

    private static List<Object> paths(Map<String, Object> out) {
        return matches(out).stream().map(m -> m.get("path")).toList();
    }
}
