package dev.tandem.hub.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.hub.TestHub;
import dev.tandem.hub.mcp.Capability;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Regressions found while running the MCP conformance suite against the transport, on the raw HTTP wire. */
class TransportConformanceTest {
    private static final String BOTH = "application/json, text/event-stream";
    private static final String INIT = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
            + "\"protocolVersion\":\"2025-11-25\",\"capabilities\":{\"sampling\":{}},"
            + "\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "12345678901234567890", "{\"a\":1}", "true", "[1]"})
    void requestWithAnInvalidIdIsRefusedWithANullId(String id) throws Exception {
        try (TestHub hub = TestHub.start(dir, List.of())) {
            String session = initialize(hub, BOTH);
            HttpResponse<String> res =
                    post(hub, session, BOTH, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"ping\"}");
            assertEquals(400, res.statusCode());
            assertEquals("application/json", contentType(res));
            assertTrue(
                    res.body().startsWith("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600"), res.body());
        }
    }

    @Test
    void samplingFromAToolCalledWithoutEventStreamFailsAtOnce() throws Exception {
        try (TestHub hub = TestHub.start(dir, List.of(new SamplingCapability()))) {
            String session = initialize(hub, BOTH);
            // Before the fix the sampling request was dropped and the call waited for the SDK's request
            // timeout (10 minutes); the client's own timeout below then fails the test.
            HttpResponse<String> res = post(
                    hub,
                    session,
                    "application/json",
                    "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\","
                            + "\"params\":{\"name\":\"ask_model\",\"arguments\":{}}}");
            assertEquals(200, res.statusCode());
            assertTrue(res.body().contains("\"id\":2,\"error\""), res.body());
            assertTrue(res.body().contains("sampling/createMessage"), res.body());
            assertTrue(res.body().contains("text/event-stream"), res.body());
        }
    }

    @Test
    void clientAcceptingOnlyEventStreamGetsTheResponseAsAnEvent() throws Exception {
        try (TestHub hub = TestHub.start(dir, List.of())) {
            String session = initialize(hub, "text/event-stream");
            HttpResponse<String> res =
                    post(hub, session, "text/event-stream", "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}");
            assertEquals(200, res.statusCode());
            assertEquals("text/event-stream", contentType(res));
            assertTrue(res.body().contains("data: {\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{}}"), res.body());
        }
    }

    @Test
    void initializeAcceptingOnlyEventStreamIsAnsweredAsAnEventWithTheSessionHeader() throws Exception {
        try (TestHub hub = TestHub.start(dir, List.of())) {
            HttpResponse<String> res = post(hub, null, "text/event-stream", INIT);
            assertEquals(200, res.statusCode());
            assertEquals("text/event-stream", contentType(res));
            assertTrue(res.headers().firstValue("Mcp-Session-Id").isPresent());
            assertTrue(res.body().contains("data: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{"), res.body());
        }
    }

    @Test
    void listeningStreamSendsItsHeadersBeforeAnyEvent() throws Exception {
        // A keep-alive far away, so only the stream's opening can send the headers.
        try (TestHub hub = TestHub.start(dir, "[hub]\nkeep_alive_seconds = 3600\n", List.of())) {
            String session = initialize(hub, BOTH);
            HttpRequest get = HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/mcp"))
                    // Before the fix the headers waited for the first event or keep-alive: this timeout failed.
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + hub.token())
                    .header("Accept", "text/event-stream")
                    .header("Mcp-Session-Id", session)
                    .GET()
                    .build();
            HttpResponse<InputStream> res = http.send(get, HttpResponse.BodyHandlers.ofInputStream());
            res.body().close();
            assertEquals(200, res.statusCode());
            assertEquals("text/event-stream", contentType(res));
        }
    }

    private String initialize(TestHub hub, String accept) throws IOException, InterruptedException {
        HttpResponse<String> res = post(hub, null, accept, INIT);
        assertEquals(200, res.statusCode(), res.body());
        String session = res.headers().firstValue("Mcp-Session-Id").orElseThrow();
        HttpResponse<String> initialized =
                post(hub, session, accept, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        assertEquals(202, initialized.statusCode());
        return session;
    }

    private HttpResponse<String> post(TestHub hub, String session, String accept, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/mcp"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + hub.token())
                .header("Content-Type", "application/json")
                .header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            req.header("Mcp-Session-Id", session);
        }
        return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String contentType(HttpResponse<?> res) {
        return res.headers().firstValue("Content-Type").orElse("");
    }

    /** One tool that asks the client's model for a completion (sampling). */
    private static final class SamplingCapability implements Capability {
        @Override
        public String name() {
            return "sampling-test";
        }

        @Override
        public List<McpServerFeatures.SyncToolSpecification> tools() {
            McpSchema.Tool tool = McpSchema.Tool.builder(
                            "ask_model", McpJsonDefaults.getMapper(), "{\"type\":\"object\",\"properties\":{}}")
                    .description("Asks the client's model")
                    .build();
            return List.of(McpServerFeatures.SyncToolSpecification.builder()
                    .tool(tool)
                    .callHandler((exchange, request) -> {
                        McpSchema.CreateMessageResult answer =
                                exchange.createMessage(McpSchema.CreateMessageRequest.builder(
                                                List.of(McpSchema.SamplingMessage.builder(
                                                                McpSchema.Role.USER,
                                                                McpSchema.TextContent.builder("hi")
                                                                        .build())
                                                        .build()),
                                                10)
                                        .build());
                        return McpSchema.CallToolResult.builder()
                                .addTextContent(String.valueOf(answer.model()))
                                .build();
                    })
                    .build());
        }
    }
}
