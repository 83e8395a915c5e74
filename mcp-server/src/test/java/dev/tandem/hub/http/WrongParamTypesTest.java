package dev.tandem.hub.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.hub.RawHttp;
import dev.tandem.hub.TestHub;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests whose {@code params}, {@code arguments}, {@code name} or other members have the wrong JSON type get a
 * JSON-RPC error naming the problem (-32602 Invalid params, or -32600 Invalid Request when {@code params} is not
 * even an object or array), never HTTP 500 — alone and inside a batch, for every method the hub serves.
 */
class WrongParamTypesTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<Integer> PARAM_ERRORS = Set.of(-32602, -32600);

    @TempDir
    static Path dir;

    static TestHub hub;
    static String session;
    /** A session on protocol 2025-03-26, the one revision offered that has JSON-RPC batches. */
    static String batchSession;

    @BeforeAll
    static void start() {
        hub = TestHub.start(dir);
        session = open("2025-06-18");
        batchSession = open("2025-03-26");
    }

    private static String open(String protocol) {
        RawHttp.Response init = RawHttp.send(hub.port(), "POST", "/mcp", headers(null), initialize(protocol));
        String id = init.header("mcp-session-id").orElseThrow();
        RawHttp.send(
                hub.port(),
                "POST",
                "/mcp",
                headers(id),
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        return id;
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static String initialize(String protocol) {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"" + protocol
                + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";
    }

    private static Map<String, String> headers(String sessionId) {
        Map<String, String> h = new HashMap<>();
        h.put("Authorization", "Bearer " + hub.token());
        h.put("Content-Type", "application/json");
        h.put("Accept", "application/json, text/event-stream");
        if (sessionId != null) {
            h.put("Mcp-Session-Id", sessionId);
        }
        return h;
    }

    /** Method and a {@code params} value of the wrong shape for it. */
    static Stream<Arguments> wrongParams() {
        return Stream.of(
                Arguments.of("tools/call", "{\"name\":\"hub_info\",\"arguments\":[]}"),
                Arguments.of("tools/call", "{\"name\":\"hub_info\",\"arguments\":[1,2]}"),
                Arguments.of("tools/call", "{\"name\":\"hub_info\",\"arguments\":\"x\"}"),
                Arguments.of("tools/call", "{\"name\":\"hub_info\",\"arguments\":7}"),
                Arguments.of("tools/call", "{\"name\":\"hub_info\",\"arguments\":true}"),
                Arguments.of("tools/call", "{\"name\":7,\"arguments\":{}}"),
                Arguments.of("tools/call", "{\"name\":{\"a\":1},\"arguments\":{}}"),
                Arguments.of("tools/call", "{\"name\":[\"hub_info\"]}"),
                Arguments.of("tools/call", "{\"name\":null}"),
                Arguments.of("tools/call", "{\"arguments\":{}}"),
                Arguments.of("tools/call", "{\"name\":\"hub_info\",\"_meta\":[]}"),
                Arguments.of("tools/call", "[]"),
                Arguments.of("tools/call", "[\"hub_info\",{}]"),
                Arguments.of("tools/call", "\"hub_info\""),
                Arguments.of("tools/call", "42"),
                Arguments.of("tools/call", "null"),
                Arguments.of("tools/list", "[]"),
                Arguments.of("tools/list", "\"x\""),
                Arguments.of("tools/list", "{\"cursor\":{}}"),
                Arguments.of("resources/list", "[1]"),
                Arguments.of("resources/templates/list", "7"),
                Arguments.of("resources/read", "{\"uri\":7}"),
                Arguments.of("resources/read", "{\"uri\":[\"portfolio://x\"]}"),
                Arguments.of("resources/read", "[]"),
                Arguments.of("resources/read", "{}"),
                Arguments.of("prompts/list", "[]"),
                Arguments.of("prompts/get", "{\"name\":7}"),
                Arguments.of("prompts/get", "{\"name\":\"x\",\"arguments\":[\"a\"]}"),
                Arguments.of("prompts/get", "{\"name\":\"x\",\"arguments\":\"a\"}"),
                Arguments.of("prompts/get", "[]"),
                Arguments.of("completion/complete", "{\"ref\":[],\"argument\":{}}"),
                Arguments.of("completion/complete", "{\"ref\":\"x\",\"argument\":\"y\"}"),
                Arguments.of("completion/complete", "[]"),
                Arguments.of("logging/setLevel", "{\"level\":7}"),
                Arguments.of("logging/setLevel", "{\"level\":[\"info\"]}"),
                Arguments.of("logging/setLevel", "[]"),
                Arguments.of("ping", "[]"),
                Arguments.of("ping", "\"x\""));
    }

    private static String request(Object id, String method, String params) {
        String idText = id instanceof String s ? "\"" + s + "\"" : String.valueOf(id);
        return "{\"jsonrpc\":\"2.0\",\"id\":" + idText + ",\"method\":\"" + method + "\",\"params\":" + params + "}";
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("wrongParams")
    void wrongParamTypesGetAJsonRpcErrorNotHttp500(String method, String params) {
        RawHttp.Response r = RawHttp.send(hub.port(), "POST", "/mcp", headers(session), request("r-9", method, params));
        assertTrue(r.status() == 200 || r.status() == 400, r.status() + " " + r.body());
        JsonNode body = JSON.readTree(r.body());
        assertEquals("r-9", body.path("id").asString(), r.body());
        int code = body.path("error").path("code").asInt();
        assertTrue(PARAM_ERRORS.contains(code), r.body());
        assertTrue(!body.path("error").path("message").asString().isBlank(), r.body());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("wrongParams")
    void wrongParamTypesInABatchGetTheirOwnErrorAndTheRestIsAnswered(String method, String params) {
        String batch = "[" + request(5, method, params) + "," + "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"ping\"}]";
        RawHttp.Response r = RawHttp.send(hub.port(), "POST", "/mcp", headers(batchSession), batch);
        assertEquals(200, r.status(), r.body());
        JsonNode answers = JSON.readTree(r.body());
        assertEquals(2, answers.size(), r.body());
        assertEquals(5, answers.get(0).path("id").asInt(), r.body());
        assertTrue(
                PARAM_ERRORS.contains(answers.get(0).path("error").path("code").asInt()), r.body());
        assertEquals(6, answers.get(1).path("id").asInt(), r.body());
        assertTrue(answers.get(1).has("result"), r.body());
    }

    /** Params of the right JSON types that still make no sense to the method. */
    static Stream<Arguments> oddButWellTyped() {
        return Stream.of(
                Arguments.of(
                        "completion/complete",
                        "{\"ref\":{\"type\":\"ref/prompt\"},\"argument\":" + "{\"name\":\"a\",\"value\":\"b\"}}"),
                Arguments.of(
                        "completion/complete",
                        "{\"ref\":{\"type\":\"bogus\"},\"argument\":" + "{\"name\":\"a\",\"value\":\"b\"}}"),
                Arguments.of(
                        "completion/complete",
                        "{\"ref\":{\"type\":\"ref/resource\",\"uri\":7},"
                                + "\"argument\":{\"name\":\"a\",\"value\":\"b\"}}"),
                Arguments.of("prompts/get", "{\"name\":\"no-such-prompt\"}"),
                Arguments.of("resources/read", "{\"uri\":\"\"}"),
                Arguments.of("resources/subscribe", "{\"uri\":\"portfolio://x\"}"),
                Arguments.of("tools/call", "{\"name\":\"memory_search\",\"arguments\":{\"query\":[1]}}"),
                Arguments.of("tools/call", "{\"name\":\"hub_info\",\"arguments\":{\"extra\":{}}}"),
                Arguments.of("no/such/method", "{\"a\":[]}"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("oddButWellTyped")
    void oddButWellTypedParamsGetAJsonRpcAnswerNotHttp500(String method, String params) {
        RawHttp.Response r = RawHttp.send(hub.port(), "POST", "/mcp", headers(session), request("r-1", method, params));
        assertEquals(200, r.status(), r.body());
        JsonNode body = JSON.readTree(r.body());
        assertEquals("r-1", body.path("id").asString(), r.body());
        assertTrue(body.has("error") || body.has("result"), r.body());
        assertTrue(!r.body().contains("Exception"), "no Java exception text reaches the client: " + r.body());
    }

    @Test
    void aToolCallWithObjectArgumentsStillWorksAfterWrongOnes() {
        RawHttp.send(
                hub.port(),
                "POST",
                "/mcp",
                headers(session),
                request(1, "tools/call", "{\"name\":\"hub_info\",\"arguments\":[]}"));
        RawHttp.Response r = RawHttp.send(
                hub.port(),
                "POST",
                "/mcp",
                headers(session),
                request(2, "tools/call", "{\"name\":\"hub_info\",\"arguments\":{}}"));
        assertEquals(200, r.status(), r.body());
        assertTrue(JSON.readTree(r.body()).path("result").has("content"), r.body());
    }

    @Test
    void initializeWithWrongParamTypesIsInvalidParams() {
        for (String params : new String[] {
            "[]",
            "\"x\"",
            "{\"protocolVersion\":7,\"capabilities\":{},\"clientInfo\":{\"name\":\"x\",\"version\":\"1\"}}",
            "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":[],\"clientInfo\":{\"name\":\"x\",\"version\":\"1\"}}",
            "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":\"x\"}"
        }) {
            RawHttp.Response r =
                    RawHttp.send(hub.port(), "POST", "/mcp", headers(null), request(3, "initialize", params));
            assertTrue(r.status() == 200 || r.status() == 400, params + " -> " + r.status() + " " + r.body());
            JsonNode body = JSON.readTree(r.body());
            assertTrue(PARAM_ERRORS.contains(body.path("error").path("code").asInt()), params + " -> " + r.body());
        }
    }
}
