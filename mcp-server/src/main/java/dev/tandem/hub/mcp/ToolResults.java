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

    /**
     * Returns an {@code isError} result with one line naming the input at fault; control characters in it (a NUL or
     * a line break from the input) are shown escaped ({@code \\0}, {@code \\n}, {@code \\x1b}).
     */
    public static McpSchema.CallToolResult error(String message) {
        return McpSchema.CallToolResult.builder()
                .addTextContent(oneLine(message))
                .isError(true)
                .build();
    }

    static String oneLine(String message) {
        StringBuilder b = new StringBuilder(message.length());
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (c == 0) {
                b.append("\\0");
            } else if (c == '\n') {
                b.append("\\n");
            } else if (Character.isISOControl(c)) {
                b.append(String.format(java.util.Locale.ROOT, "\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
