package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.hub.mcp.Capability;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HubTransportTest {
    @TempDir
    static Path dir;

    static TestHub hub;

    /** A capability whose one tool logs before it answers, so its reply must become an SSE stream. */
    static final class ChattyCapability implements Capability {
        @Override
        public String name() {
            return "chatty";
        }

        @Override
        public List<McpServerFeatures.SyncToolSpecification> tools() {
            var tool = McpSchema.Tool.builder("chatty", McpJsonDefaults.getMapper(), "{\"type\":\"object\"}")
                    .build();
            return List.of(McpServerFeatures.SyncToolSpecification.builder()
                    .tool(tool)
                    .callHandler((exchange, req) -> {
                        exchange.loggingNotification(McpSchema.LoggingMessageNotification.builder(
                                        McpSchema.LoggingLevel.WARNING, "first a notification")
                                .build());
                        return McpSchema.CallToolResult.builder()
                                .addTextContent("then the answer")
                                .build();
                    })
                    .build());
        }
    }

    @BeforeAll
    static void start() {
        hub = TestHub.start(dir, c -> c.withMaxBodyBytes(16 * 1024), List.of(new ChattyCapability()));
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static RawHttp.Response post(java.util.Map<String, String> headers, String body) {
        return RawHttp.send(hub.port(), "POST", "/mcp", headers, body);
    }

    @ParameterizedTest
    @CsvSource({
        "2025-03-26, 2025-03-26",
        "2025-06-18, 2025-06-18",
        "2025-11-25, 2025-11-25",
        "2024-11-05, 2025-11-25",
        "1999-01-01, 2025-11-25"
    })
    void negotiatesTheProtocolVersion(String asked, String answered) {
        RawHttp.Response r = post(McpHttp.headers(hub.token()), McpHttp.initialize(asked));
        assertEquals(200, r.status());
        assertTrue(r.body().contains("\"protocolVersion\":\"" + answered + "\""), r.body());
    }

    @Test
    void answersUnparseableJsonWithParseErrorAndNullId() {
        RawHttp.Response r = post(McpHttp.headers(hub.token()), "{\"jsonrpc\":\"2.0\",\"id\":1,");
        assertEquals(400, r.status());
        assertTrue(r.body().contains("\"id\":null"), r.body());
        assertTrue(r.body().contains("\"code\":-32700"), r.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "42", "\"text\"", "{\"jsonrpc\":\"2.0\"}"})
    void answersValidJsonThatIsNoMessageWithInvalidRequest(String body) {
        RawHttp.Response r = post(McpHttp.headers(hub.token()), body);
        assertEquals(400, r.status());
        assertTrue(r.body().contains("\"code\":-32600"), r.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data"})
    void refusesWrongContentTypeWith415(String type) {
        RawHttp.Response r = post(
                McpHttp.with(McpHttp.headers(hub.token()), "Content-Type", type), McpHttp.initialize("2025-06-18"));
        assertEquals(415, r.status());
    }

    @Test
    void acceptsJsonContentTypeWithCharset() {
        RawHttp.Response r = post(
                McpHttp.with(McpHttp.headers(hub.token()), "Content-Type", "application/json; charset=utf-8"),
                McpHttp.initialize("2025-06-18"));
        assertEquals(200, r.status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/html", "image/png", "application/xml"})
    void refusesAcceptWithoutJsonOrEventStreamWith406(String accept) {
        RawHttp.Response r =
                post(McpHttp.with(McpHttp.headers(hub.token()), "Accept", accept), McpHttp.initialize("2025-06-18"));
        assertEquals(406, r.status());
    }

    @Test
    void refusesBodyOverTheLimitWith413() {
        String big = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\"" + "x".repeat(17 * 1024)
                + "\"}}";
        RawHttp.Response r = post(McpHttp.headers(hub.token()), big);
        assertEquals(413, r.status());
    }

    @Test
    void answersWithPlainJsonWhenTheResponseIsTheOnlyMessage() {
        String session = McpHttp.openSession(hub);
        RawHttp.Response r = post(McpHttp.headers(hub.token(), session), McpHttp.call(5, "hub_info"));
        assertEquals(200, r.status());
        assertTrue(r.header("content-type").orElseThrow().startsWith("application/json"));
        assertTrue(r.body().startsWith("{\"jsonrpc\":\"2.0\",\"id\":5,\"result\""), r.body());
    }

    @Test
    void switchesToSseWhenNotificationsComeFirst() {
        String session = McpHttp.openSession(hub);
        post(
                McpHttp.headers(hub.token(), session),
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"logging/setLevel\",\"params\":{\"level\":\"debug\"}}");
        RawHttp.Response r = post(McpHttp.headers(hub.token(), session), McpHttp.call(6, "chatty"));
        assertEquals(200, r.status());
        assertTrue(r.header("content-type").orElseThrow().startsWith("text/event-stream"));
        int note = r.body().indexOf("first a notification");
        int answer = r.body().indexOf("then the answer");
        assertTrue(note > 0 && answer > note, r.body());
        assertTrue(r.body().contains("event: message"), r.body());
    }

    @Test
    void sendsOnlyTheResponseToAClientThatAcceptsOnlyJson() {
        String session = McpHttp.openSession(hub);
        RawHttp.Response r = post(
                McpHttp.with(McpHttp.headers(hub.token(), session), "Accept", "application/json"),
                McpHttp.call(7, "chatty"));
        assertEquals(200, r.status());
        assertTrue(r.header("content-type").orElseThrow().startsWith("application/json"));
        assertTrue(r.body().contains("then the answer"), r.body());
    }

    @Test
    void answersNotificationsWith202() {
        String session = McpHttp.openSession(hub);
        RawHttp.Response r = post(
                McpHttp.headers(hub.token(), session),
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":99}}");
        assertEquals(202, r.status());
    }

    @Test
    void answersUnknownMethodWithMethodNotFound() {
        String session = McpHttp.openSession(hub);
        RawHttp.Response r =
                post(McpHttp.headers(hub.token(), session), "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"no/such\"}");
        assertEquals(200, r.status());
        assertTrue(r.body().contains("\"code\":-32601"), r.body());
    }

    @Test
    void refusesAnUnsupportedProtocolVersionHeader() {
        String session = McpHttp.openSession(hub);
        RawHttp.Response r = post(
                McpHttp.with(McpHttp.headers(hub.token(), session), "MCP-Protocol-Version", "1999-01-01"),
                McpHttp.call(8, "hub_info"));
        assertEquals(400, r.status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-06-18", "2025-11-25"})
    void refusesABatchOnASessionWhoseProtocolHasNoBatches(String protocol) {
        String session = McpHttp.openSession(hub, protocol);
        RawHttp.Response r = post(
                McpHttp.headers(hub.token(), session),
                "[" + McpHttp.call(21, "chatty") + ",{\"jsonrpc\":\"2.0\",\"id\":22,\"method\":\"ping\"}]");
        assertEquals(400, r.status(), r.body());
        assertTrue(r.body().startsWith("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600"), r.body());
        assertTrue(
                r.body()
                        .contains("this session speaks protocol " + protocol
                                + ", which has no JSON-RPC batches (removed in 2025-06-18)"),
                r.body());
        RawHttp.Response alone = post(McpHttp.headers(hub.token(), session), McpHttp.call(21, "chatty"));
        assertEquals(200, alone.status(), alone.body());
        assertTrue(alone.body().contains("then the answer"), alone.body());
    }

    @Test
    void answersABatchWithAnArrayOfResponsesInOrder() {
        String session = McpHttp.openSession(hub, "2025-03-26");
        RawHttp.Response r = post(
                McpHttp.headers(hub.token(), session),
                "[" + McpHttp.call(11, "hub_info") + ",{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\","
                        + "\"params\":{\"requestId\":1}},{\"jsonrpc\":\"2.0\",\"id\":12,\"method\":\"ping\"}]");
        assertEquals(200, r.status());
        assertTrue(r.body().startsWith("[{\"jsonrpc\":\"2.0\",\"id\":11,\"result\""), r.body());
        assertTrue(r.body().contains("{\"jsonrpc\":\"2.0\",\"id\":12,\"result\":{}}]"), r.body());
    }

    @Test
    void answersABatchOfNotificationsWith202() {
        String session = McpHttp.openSession(hub, "2025-03-26");
        RawHttp.Response r = post(
                McpHttp.headers(hub.token(), session),
                "[{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":1}}]");
        assertEquals(202, r.status());
    }

    @Test
    void refusesInitializeInsideABatch() {
        String session = McpHttp.openSession(hub, "2025-03-26");
        RawHttp.Response r = post(McpHttp.headers(hub.token(), session), "[" + McpHttp.initialize("2025-03-26") + "]");
        assertEquals(200, r.status());
        assertTrue(r.body().contains("\"code\":-32600"), r.body());
        assertTrue(r.body().contains("initialize cannot be part of a batch"), r.body());
    }
}
