package dev.tandem.hub.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The fixture server the conformance suite runs against ({@code .ci/conformance}) serves what the suite expects;
 * checked here with the SDK's Java client so a broken fixture shows up in {@code mvn verify}, without Node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConformanceServerTest {
    private static final String TOKEN = "conformance-test-token";

    private ConformanceServer server;
    private McpSyncClient client;

    @BeforeAll
    void start() {
        server = ConformanceServer.start(0, TOKEN);
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(
                        "http://127.0.0.1:" + server.port())
                .endpoint("/mcp")
                .addHttpRequestCustomizer((b, method, uri, body, ctx) -> b.header("Authorization", "Bearer " + TOKEN))
                .build();
        client = McpClient.sync(transport)
                .requestTimeout(Duration.ofSeconds(30))
                .sampling(req -> McpSchema.CreateMessageResult.builder(
                                McpSchema.Role.ASSISTANT,
                                McpSchema.TextContent.builder("a reply from the client")
                                        .build(),
                                "test-model")
                        .build())
                .build();
        client.initialize();
    }

    @AfterAll
    void stop() {
        client.closeGracefully();
        server.close();
    }

    @Test
    void listsEveryToolTheSuiteCalls() {
        var names =
                client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
        for (String tool : new String[] {
            "test_simple_text", "test_image_content", "test_audio_content", "test_embedded_resource",
            "test_multiple_content_types", "test_tool_with_logging", "test_tool_with_progress", "test_error_handling",
            "test_sampling", "test_elicitation", "test_elicitation_sep1034_defaults", "test_elicitation_sep1330_enums"
        }) {
            assertTrue(names.contains(tool), tool + " missing from " + names);
        }
    }

    @Test
    void simpleTextToolReturnsTheSuitesText() {
        McpSchema.CallToolResult result = client.callTool(
                McpSchema.CallToolRequest.builder("test_simple_text").build());
        assertEquals(
                "This is a simple text response for testing.",
                ((McpSchema.TextContent) result.content().get(0)).text());
    }

    @Test
    void samplingToolReturnsTheClientsAnswer() {
        McpSchema.CallToolResult result = client.callTool(McpSchema.CallToolRequest.builder("test_sampling")
                .arguments(Map.of("prompt", "hello"))
                .build());
        assertEquals(
                "LLM response: a reply from the client",
                ((McpSchema.TextContent) result.content().get(0)).text());
    }

    @Test
    void templateSubstitutesTheId() {
        McpSchema.ReadResourceResult result = client.readResource(
                McpSchema.ReadResourceRequest.builder("test://template/42/data").build());
        McpSchema.TextResourceContents contents =
                (McpSchema.TextResourceContents) result.contents().get(0);
        assertEquals("test://template/42/data", contents.uri());
        assertTrue(contents.text().contains("\"id\":\"42\""), contents.text());
    }
}
