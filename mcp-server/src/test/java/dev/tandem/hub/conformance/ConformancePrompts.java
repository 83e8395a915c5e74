package dev.tandem.hub.conformance;

import io.modelcontextprotocol.server.McpServerFeatures.SyncCompletionSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.GetPromptResult;
import io.modelcontextprotocol.spec.McpSchema.PromptMessage;
import io.modelcontextprotocol.spec.McpSchema.Role;
import java.util.List;
import java.util.Locale;

/** The prompts of the suite's reference server, and completion of {@code test_prompt_with_arguments}. */
final class ConformancePrompts {
    private static final List<String> SUGGESTIONS = List.of("paris", "park", "party", "test", "testValue1");

    private ConformancePrompts() {}

    static List<SyncPromptSpecification> prompts() {
        return List.of(
                new SyncPromptSpecification(
                        prompt("test_simple_prompt", "Simple Test Prompt", "A simple prompt without arguments"),
                        (ex, req) -> result(text("This is a simple prompt for testing."))),
                new SyncPromptSpecification(
                        prompt(
                                "test_prompt_with_arguments",
                                "Prompt With Arguments",
                                "A prompt with required arguments",
                                argument("arg1", "First test argument"),
                                argument("arg2", "Second test argument")),
                        (ex, req) -> result(text("Prompt with arguments: arg1='"
                                + req.arguments().get("arg1") + "', arg2='"
                                + req.arguments().get("arg2") + "'"))),
                new SyncPromptSpecification(
                        prompt(
                                "test_prompt_with_embedded_resource",
                                "Prompt With Embedded Resource",
                                "A prompt that includes an embedded resource",
                                argument("resourceUri", "URI of the resource to embed")),
                        (ex, req) -> result(
                                McpSchema.EmbeddedResource.builder(McpSchema.TextResourceContents.builder(
                                                        String.valueOf(
                                                                req.arguments().get("resourceUri")),
                                                        "Embedded resource content for testing.")
                                                .mimeType("text/plain")
                                                .build())
                                        .build(),
                                text("Please process the embedded resource above."))),
                new SyncPromptSpecification(
                        prompt("test_prompt_with_image", "Prompt With Image", "A prompt that includes image content"),
                        (ex, req) -> result(
                                McpSchema.ImageContent.builder(ConformanceTools.PNG, "image/png")
                                        .build(),
                                text("Please analyze the image above."))));
    }

    /** Completes either argument of {@code test_prompt_with_arguments} from a fixed list, by prefix. */
    static List<SyncCompletionSpecification> completions() {
        return List.of(new SyncCompletionSpecification(
                new McpSchema.PromptReference("test_prompt_with_arguments"), (ex, req) -> {
                    String prefix = req.argument().value().toLowerCase(Locale.ROOT);
                    List<String> values = SUGGESTIONS.stream()
                            .filter(s -> s.toLowerCase(Locale.ROOT).startsWith(prefix))
                            .toList();
                    return new McpSchema.CompleteResult(
                            new McpSchema.CompleteResult.CompleteCompletion(values, values.size(), false));
                }));
    }

    private static McpSchema.Prompt prompt(
            String name, String title, String description, McpSchema.PromptArgument... arguments) {
        return McpSchema.Prompt.builder(name)
                .title(title)
                .description(description)
                .arguments(List.of(arguments))
                .build();
    }

    private static McpSchema.PromptArgument argument(String name, String description) {
        return McpSchema.PromptArgument.builder(name)
                .description(description)
                .required(true)
                .build();
    }

    private static McpSchema.TextContent text(String text) {
        return McpSchema.TextContent.builder(text).build();
    }

    private static GetPromptResult result(McpSchema.Content... contents) {
        List<PromptMessage> messages = List.of(contents).stream()
                .map(c -> PromptMessage.builder(Role.USER, c).build())
                .toList();
        return GetPromptResult.builder(messages).build();
    }
}
