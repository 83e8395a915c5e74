package dev.tandem.hub;

import static dev.tandem.hub.MemoryToolsTest.call;
import static dev.tandem.hub.MemoryToolsTest.ok;
import static dev.tandem.hub.MemoryToolsTest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpSyncClient;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogCommandToolTest {
    @TempDir
    Path dir;

    @Test
    void countsUsesOfASlugAcrossEnginesAndRestarts() {
        try (TestHub hub = TestHub.start(dir, "[memory]\nhost = \"box\"\n", null)) {
            McpSyncClient claude = hub.client("claude-code");
            McpSyncClient codex = hub.client("codex-mcp-client");
            Map<String, Object> first = ok(call(claude, "log_command", Map.of("slug", "recall")));
            assertEquals(1L, ((Number) first.get("uses")).longValue());
            assertEquals("claude", first.get("engine"));
            Map<String, Object> second = ok(call(codex, "log_command", Map.of("slug", "recall")));
            assertEquals(2L, ((Number) second.get("uses")).longValue());
            assertEquals("codex", second.get("engine"));
            ok(call(codex, "log_command", Map.of("slug", "handoff")));
        }
        try (TestHub hub = TestHub.start(dir, "[memory]\nhost = \"box\"\n", null)) {
            Map<String, Object> third = ok(call(hub.client("claude-code"), "log_command", Map.of("slug", "recall")));
            assertEquals(3L, ((Number) third.get("uses")).longValue(), "uses are kept in the store");
        }
    }

    @Test
    void refusesASlugThatIsNoSkillName() {
        try (TestHub hub = TestHub.start(dir, "[memory]\nhost = \"box\"\n", null)) {
            var result = call(hub.client("claude-code"), "log_command", Map.of("slug", "../etc/passwd"));
            assertTrue(result.isError());
            assertTrue(text(result).contains("slug"), text(result));
        }
    }
}
