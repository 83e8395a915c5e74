package dev.tandem.hub.mcp;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Builds tool results: structured content with its JSON as text, and one-line errors the model can fix. */
public final class ToolResults {
    private ToolResults() {}

    /** Returns a result whose {@code structuredContent} is {@code value} and whose text is the same JSON. */
    public static McpSchema.CallToolResult structured(Map<String, Object> value) {
        String text;
        try {
            text = McpJsonDefaults.getMapper().writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return McpSchema.CallToolResult.builder()
                .structuredContent(value)
                .addTextContent(text)
                .isError(false)
                .build();
    }

    /** Returns an {@code isError} result with one line naming the input at fault. */
    public static McpSchema.CallToolResult error(String message) {
        return McpSchema.CallToolResult.builder()
                .addTextContent(message)
                .isError(true)
                .build();
    }
}
