package dev.tandem.hub.conformance;

import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The resources and the resource template of the suite's reference server. */
final class ConformanceResources {
    private static final Pattern TEMPLATE = Pattern.compile("test://template/([^/]+)/data");

    private ConformanceResources() {}

    static List<SyncResourceSpecification> resources() {
        return List.of(
                text(
                        "test://static-text",
                        "static-text",
                        "Static Text Resource",
                        "A static text resource for testing",
                        "This is the content of the static text resource."),
                new SyncResourceSpecification(
                        McpSchema.Resource.builder("test://static-binary", "static-binary")
                                .title("Static Binary Resource")
                                .description("A static binary resource (image) for testing")
                                .mimeType("image/png")
                                .build(),
                        (ex, req) -> McpSchema.ReadResourceResult.builder(
                                        List.of(McpSchema.BlobResourceContents.builder(
                                                        "test://static-binary", ConformanceTools.PNG)
                                                .mimeType("image/png")
                                                .build()))
                                .build()),
                text(
                        "test://watched-resource",
                        "watched-resource",
                        "Watched Resource",
                        "A resource clients may subscribe to",
                        "Watched resource content"));
    }

    static List<SyncResourceTemplateSpecification> templates() {
        return List.of(new SyncResourceTemplateSpecification(
                McpSchema.ResourceTemplate.builder("test://template/{id}/data", "template")
                        .title("Resource Template")
                        .description("A resource template with parameter substitution")
                        .mimeType("application/json")
                        .build(),
                (ex, req) -> {
                    Matcher m = TEMPLATE.matcher(req.uri());
                    String id = m.matches() ? m.group(1) : "";
                    String body = "{\"id\":\"" + id + "\",\"templateTest\":true,\"data\":\"Data for ID: " + id + "\"}";
                    return McpSchema.ReadResourceResult.builder(
                                    List.of(McpSchema.TextResourceContents.builder(req.uri(), body)
                                            .mimeType("application/json")
                                            .build()))
                            .build();
                }));
    }

    private static SyncResourceSpecification text(
            String uri, String name, String title, String description, String content) {
        return new SyncResourceSpecification(
                McpSchema.Resource.builder(uri, name)
                        .title(title)
                        .description(description)
                        .mimeType("text/plain")
                        .build(),
                (ex, req) -> McpSchema.ReadResourceResult.builder(
                                List.of(McpSchema.TextResourceContents.builder(uri, content)
                                        .mimeType("text/plain")
                                        .build()))
                        .build());
    }
}
