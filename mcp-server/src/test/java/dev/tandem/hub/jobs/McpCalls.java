package dev.tandem.hub.jobs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;

/** Tool calls through the MCP SDK's own client, as an agent holding the token makes them. */
final class McpCalls {
    private McpCalls() {}

    static McpSchema.CallToolResult call(McpSyncClient client, String tool, Map<String, Object> args) {
        return client.callTool(
                McpSchema.CallToolRequest.builder(tool).arguments(args).build());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> ok(McpSchema.CallToolResult result) {
        assertFalse(result.isError(), () -> text(result));
        return (Map<String, Object>) result.structuredContent();
    }

    /** Asserts the call was refused as a mistake the model can fix, and returns its one line. */
    static String refused(McpSchema.CallToolResult result) {
        assertTrue(result.isError(), () -> "expected a refusal, got " + text(result));
        return text(result);
    }

    /** Asserts the call was refused with a line that contains {@code fragment}. */
    static void refusedWith(McpSchema.CallToolResult result, String fragment) {
        String line = refused(result);
        assertTrue(line.contains(fragment), () -> "expected '" + fragment + "' in: " + line);
    }

    static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    /** Returns the input schema of {@code tool} as the client sees it in tools/list. */
    static Map<String, Object> schema(McpSyncClient client, String tool) {
        return client.listTools().tools().stream()
                .filter(t -> t.name().equals(tool))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no tool " + tool))
                .inputSchema();
    }
}
