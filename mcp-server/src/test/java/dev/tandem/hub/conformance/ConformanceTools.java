package dev.tandem.hub.conformance;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The tools of the conformance suite's reference "everything" server, with the names and results its scenarios
 * check.
 *
 * <p>Source of truth: {@code examples/servers/typescript/everything-server.ts} and {@code src/scenarios/server/}
 * of https://github.com/modelcontextprotocol/conformance at tag v0.1.16.
 */
final class ConformanceTools {
    /** A 1x1 red PNG pixel, the suite's own test image. */
    static final String PNG =
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

    private static final String WAV = "UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=";
    private static final String NO_ARGS = "{\"type\":\"object\",\"properties\":{}}";
    private static final String JSON_SCHEMA_2020_12 = """
            {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",
             "$defs":{"address":{"type":"object","properties":{"street":{"type":"string"},"city":{"type":"string"}}}},
             "properties":{"name":{"type":"string"},"address":{"$ref":"#/$defs/address"}},
             "additionalProperties":false}""";

    private final McpJsonMapper json;

    ConformanceTools(McpJsonMapper json) {
        this.json = json;
    }

    List<SyncToolSpecification> all() {
        return List.of(
                tool(
                        "test_simple_text",
                        "Tests simple text content response",
                        NO_ARGS,
                        (ex, req) -> text("This is a simple text response for testing.")),
                tool(
                        "test_image_content",
                        "Tests image content response",
                        NO_ARGS,
                        (ex, req) -> result(
                                McpSchema.ImageContent.builder(PNG, "image/png").build())),
                tool(
                        "test_audio_content",
                        "Tests audio content response",
                        NO_ARGS,
                        (ex, req) -> result(
                                McpSchema.AudioContent.builder(WAV, "audio/wav").build())),
                tool(
                        "test_embedded_resource",
                        "Tests embedded resource content response",
                        NO_ARGS,
                        (ex, req) -> result(embedded(
                                "test://embedded-resource", "text/plain", "This is an embedded resource content."))),
                tool(
                        "test_multiple_content_types",
                        "Tests response with multiple content types (text, image, resource)",
                        NO_ARGS,
                        (ex, req) -> result(
                                McpSchema.TextContent.builder("Multiple content types test:")
                                        .build(),
                                McpSchema.ImageContent.builder(PNG, "image/png").build(),
                                embedded(
                                        "test://mixed-content-resource",
                                        "application/json",
                                        "{\"test\":\"data\",\"value\":123}"))),
                tool(
                        "test_tool_with_logging",
                        "Tests tool that emits log messages during execution",
                        NO_ARGS,
                        ConformanceTools::withLogging),
                tool(
                        "test_tool_with_progress",
                        "Tests tool that reports progress notifications",
                        NO_ARGS,
                        ConformanceTools::withProgress),
                tool(
                        "test_error_handling",
                        "Tests error response handling",
                        NO_ARGS,
                        (ex, req) -> CallToolResult.builder()
                                .addTextContent("This tool intentionally returns an error for testing")
                                .isError(true)
                                .build()),
                tool(
                        "test_sampling",
                        "Tests server-initiated sampling (LLM completion request)",
                        stringArg("prompt", "The prompt to send to the LLM"),
                        ConformanceTools::sampling),
                tool(
                        "test_elicitation",
                        "Tests server-initiated elicitation (user input request)",
                        stringArg("message", "The message to show the user"),
                        (ex, req) -> elicit(
                                ex,
                                "User response: ",
                                String.valueOf(req.arguments().get("message")),
                                ElicitationSchemas.RESPONSE)),
                tool(
                        "test_elicitation_sep1034_defaults",
                        "Tests elicitation with default values per SEP-1034",
                        NO_ARGS,
                        (ex, req) -> elicit(
                                ex,
                                "Elicitation completed: ",
                                "Please review and update the form fields with defaults",
                                ElicitationSchemas.DEFAULTS)),
                tool(
                        "test_elicitation_sep1330_enums",
                        "Tests elicitation with enum schema improvements per SEP-1330",
                        NO_ARGS,
                        (ex, req) -> elicit(
                                ex,
                                "Elicitation completed: ",
                                "Please select options from the enum fields",
                                ElicitationSchemas.ENUMS)),
                tool(
                        "json_schema_2020_12_tool",
                        "Tool with JSON Schema 2020-12 features for conformance testing (SEP-1613)",
                        JSON_SCHEMA_2020_12,
                        (ex, req) -> text("JSON Schema 2020-12 tool called with: " + req.arguments())));
    }

    private SyncToolSpecification tool(
            String name,
            String description,
            String inputSchema,
            BiFunction<McpSyncServerExchange, CallToolRequest, CallToolResult> handler) {
        return SyncToolSpecification.builder()
                .tool(McpSchema.Tool.builder(name, json, inputSchema)
                        .description(description)
                        .build())
                .callHandler(handler)
                .build();
    }

    private static String stringArg(String name, String description) {
        return "{\"type\":\"object\",\"properties\":{\"" + name + "\":{\"type\":\"string\",\"description\":\""
                + description + "\"}},\"required\":[\"" + name + "\"]}";
    }

    /** Sends three info log messages about 50 ms apart, as the suite's scenario requires. */
    private static CallToolResult withLogging(McpSyncServerExchange exchange, CallToolRequest request) {
        List<String> steps = List.of("Tool execution started", "Tool processing data", "Tool execution completed");
        for (int i = 0; i < steps.size(); i++) {
            if (i > 0) {
                pause();
            }
            exchange.loggingNotification(
                    McpSchema.LoggingMessageNotification.builder(McpSchema.LoggingLevel.INFO, steps.get(i))
                            .logger("conformance-test-server")
                            .build());
        }
        return text("Tool with logging executed successfully");
    }

    /** Reports 0, 50 and 100 of 100 about 50 ms apart when the request carries a progress token. */
    private static CallToolResult withProgress(McpSyncServerExchange exchange, CallToolRequest request) {
        Object token = request.progressToken();
        for (int step = 0; step <= 100; step += 50) {
            if (step > 0) {
                pause();
            }
            if (token != null) {
                exchange.progressNotification(McpSchema.ProgressNotification.builder(token, step)
                        .total(100.0)
                        .message("Completed step " + step + " of 100")
                        .build());
            }
        }
        return text(String.valueOf(token));
    }

    private static CallToolResult sampling(McpSyncServerExchange exchange, CallToolRequest request) {
        String prompt = String.valueOf(request.arguments().get("prompt"));
        McpSchema.SamplingMessage message = McpSchema.SamplingMessage.builder(
                        McpSchema.Role.USER,
                        McpSchema.TextContent.builder(prompt).build())
                .build();
        McpSchema.CreateMessageResult result = exchange.createMessage(
                McpSchema.CreateMessageRequest.builder(List.of(message), 100).build());
        String answer = result.content() instanceof McpSchema.TextContent t ? t.text() : "No response";
        return text("LLM response: " + answer);
    }

    private CallToolResult elicit(McpSyncServerExchange exchange, String prefix, String message, String schema) {
        McpSchema.ElicitResult result = exchange.createElicitation(
                McpSchema.ElicitFormRequest.builder(message, parse(schema)).build());
        Map<String, Object> content = result.content() == null ? Map.of() : result.content();
        return text(
                prefix + "action=" + result.action().name().toLowerCase(Locale.ROOT) + ", content=" + write(content));
    }

    private Map<String, Object> parse(String schema) {
        try {
            return json.readValue(schema, new TypeRef<Map<String, Object>>() {});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static McpSchema.EmbeddedResource embedded(String uri, String mimeType, String text) {
        return McpSchema.EmbeddedResource.builder(McpSchema.TextResourceContents.builder(uri, text)
                        .mimeType(mimeType)
                        .build())
                .build();
    }

    private static CallToolResult text(String text) {
        return CallToolResult.builder().addTextContent(text).build();
    }

    private static CallToolResult result(McpSchema.Content... content) {
        return CallToolResult.builder().content(List.of(content)).build();
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
