package dev.tandem.hub.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.hub.TestHub;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RE2/J is linear in the text but not in the pattern: counted repetitions nest, so a 23-byte {@code
 * ((a{1000}){1000}){4}} compiles to four million instructions, and a program of a thousand instructions costs
 * microseconds per character searched. Through a real hub: a pattern whose program would be large is refused before
 * it is compiled (the billion-instruction case, which exhausts the old hub's heap, is {@link RegexBudgetTest}'s), and
 * a search past its deadline stops matching, inside one file too.
 */
class RegexProgramSizeTest {
    /** A thousand-instruction program: about ten microseconds per character of {@link #SLOW_TEXT}, never a match. */
    static final String SLOW_PATTERN = "[ab]{1000}c";

    /** Two million characters that keep {@link #SLOW_PATTERN} busy for many seconds. */
    static final String SLOW_TEXT = ("a".repeat(1000) + "\n").repeat(2000);

    @TempDir
    Path dir;

    @Test
    void aRegexWhoseCountsMultiplyPastAThousandIsRefusedNamingTheLimit() throws Exception {
        try (TestHub hub = TestHub.start(dir)) {
            Files.writeString(dir.resolve("root/a.txt"), "b\n");
            McpSchema.CallToolResult r = search(hub.client("claude-code"), Map.of("query", "(a{1000}){30}"));
            assertTrue(Boolean.TRUE.equals(r.isError()), "a 30,000-fold repetition was run: " + r);
            String text = text(r);
            assertTrue(text.startsWith("query: ") && text.contains("30000") && text.contains("1000"), text);
        }
    }

    @Test
    void aFolderSearchPastItsDeadlineStopsMatching() throws Exception {
        assertStopsAfterDeadline(SLOW_TEXT, Map.of("query", SLOW_PATTERN));
    }

    @Test
    void aSingleFileSearchPastItsDeadlineStopsMatching() throws Exception {
        assertStopsAfterDeadline(SLOW_TEXT, Map.of("query", SLOW_PATTERN, "path", "a.txt"));
    }

    @Test
    void aSearchOfOneLongLinePastItsDeadlineStopsMatching() throws Exception {
        assertStopsAfterDeadline("a".repeat(2_000_000) + "\n", Map.of("query", SLOW_PATTERN));
    }

    @Test
    void aPrefilteredSearchPastItsDeadlineStopsMatching() throws Exception {
        String line = "a".repeat(1000) + "dxyzc\n"; // holds the literal, so the regex runs on every line
        assertStopsAfterDeadline(line.repeat(2000), Map.of("query", "[ab]{1000}xyzc"));
    }

    private void assertStopsAfterDeadline(String content, Map<String, Object> args) throws Exception {
        try (TestHub hub = TestHub.start(dir, "[hub]\ntool_timeout_seconds = 1\n", null)) {
            Files.writeString(dir.resolve("root/a.txt"), content);
            McpSchema.CallToolResult r = search(hub.client("claude-code"), args);
            assertTrue(Boolean.TRUE.equals(r.isError()), "the search outlived its deadline: " + r);
            assertTrue(text(r).contains("no answer within 1 s"), text(r));
            Thread.sleep(3000); // the deadline passed; the old code kept matching for tens of seconds more
            long matching = Arrays.stream(ManagementFactory.getThreadMXBean().dumpAllThreads(false, false))
                    .filter(RegexProgramSizeTest::inRe2)
                    .count();
            assertEquals(0, matching, matching + " threads still run RE2/J 3 s after the call's deadline");
        }
    }

    private static boolean inRe2(ThreadInfo t) {
        return Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getClassName().startsWith("com.google.re2j."));
    }

    private static McpSchema.CallToolResult search(McpSyncClient client, Map<String, Object> args) {
        Map<String, Object> withRegex = new java.util.HashMap<>(args);
        withRegex.put("regex", true);
        return client.callTool(McpSchema.CallToolRequest.builder("fs_search")
                .arguments(withRegex)
                .build());
    }

    private static String text(McpSchema.CallToolResult r) {
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }
}
