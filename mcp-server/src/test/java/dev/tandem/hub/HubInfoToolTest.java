package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubInfoToolTest {
    @TempDir
    Path dir;

    @Test
    void hubInfoReportsTheCallerFromInitialize() {
        try (TestHub hub = TestHub.start(dir, List.of())) {
            McpSyncClient client = hub.client("codex-mcp-client");
            McpSchema.CallToolResult result = client.callTool(McpSchema.CallToolRequest.builder("hub_info")
                    .arguments(Map.of())
                    .build());
            assertFalse(result.isError());
            @SuppressWarnings("unchecked")
            Map<String, Object> out = (Map<String, Object>) result.structuredContent();
            @SuppressWarnings("unchecked")
            Map<String, Object> caller = (Map<String, Object>) out.get("caller");
            assertEquals("codex-mcp-client", caller.get("clientName"));
            assertEquals("1.0.0", caller.get("clientVersion"));
            assertEquals("codex", caller.get("engine"));
            assertTrue(caller.get("remoteAddress").toString().startsWith("127.0.0.1:"));
        }
    }

    @Test
    void hubInfoIsDeclaredReadOnly() {
        try (TestHub hub = TestHub.start(dir, List.of())) {
            McpSchema.Tool tool = hub.client("claude-code").listTools().tools().stream()
                    .filter(t -> t.name().equals("hub_info"))
                    .findFirst()
                    .orElseThrow();
            assertTrue(tool.annotations().readOnlyHint());
            assertFalse(tool.annotations().destructiveHint());
            assertTrue(tool.outputSchema().containsKey("properties"));
        }
    }
}
