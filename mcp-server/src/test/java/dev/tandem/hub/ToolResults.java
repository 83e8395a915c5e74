package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;

/** Checks a tool call's result the way the tests expect it: a success's structured content, a failure's text. */
public final class ToolResults {
    private ToolResults() {}

    /** Returns the structured content of {@code r}; fails naming {@code call} when the call failed. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> ok(String call, McpSchema.CallToolResult r) {
        assertFalse(r.isError(), () -> call + " failed: " + r.content());
        return (Map<String, Object>) r.structuredContent();
    }

    /** Returns the error text of {@code r}; fails naming {@code call} when the call succeeded. */
    public static String error(String call, McpSchema.CallToolResult r) {
        assertTrue(r.isError(), () -> call + " succeeded: " + r.content());
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }
}
