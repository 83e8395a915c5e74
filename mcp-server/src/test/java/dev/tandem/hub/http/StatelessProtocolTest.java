package dev.tandem.hub.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.hub.RawHttp;
import dev.tandem.hub.TestHub;
import dev.tandem.hub.fs.FsSearcher;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * MCP protocol 2026-07-28 on {@code /mcp} of a real hub, beside the sessionful revisions: {@code server/discover},
 * every core method without a session, the {@code _meta} and header checks, and results shaped for the revision.
 */
class StatelessProtocolTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String V = "2026-07-28";

    @TempDir
    static Path dir;

    static TestHub hub;

    @BeforeAll
    static void start() throws IOException {
        hub = TestHub.start(dir);
        Files.writeString(dir.resolve("root/notes.txt"), "one\ntwo\nthree\n", StandardCharsets.UTF_8);
        Path bulk = Files.createDirectories(dir.resolve("root/bulk"));
        for (int i = 0; i < 2 * FsSearcher.PROGRESS_EVERY + 10; i++) {
            Files.writeString(bulk.resolve("f" + i + ".txt"), (i == 7 ? "needle " : "hay ") + i + "\n", UTF_8);
        }
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    // ---- requests ------------------------------------------------------------------------------------------

    private static ObjectNode meta(String version) {
        ObjectNode meta = JSON.createObjectNode();
        meta.put("io.modelcontextprotocol/protocolVersion", version);
        meta.putObject("io.modelcontextprotocol/clientCapabilities");
        ObjectNode info = meta.putObject("io.modelcontextprotocol/clientInfo");
        info.put("name", "stateless-test");
        info.put("version", "1.0");
        return meta;
    }

    private static String request(Object id, String method, ObjectNode params) {
        ObjectNode root = JSON.createObjectNode();
        root.put("jsonrpc", "2.0");
        if (id instanceof Number n) {
            root.put("id", n.longValue());
        } else {
            root.put("id", id.toString());
        }
        root.put("method", method);
        root.set("params", params);
        return JSON.writeValueAsString(root);
    }

    private static ObjectNode params(String version) {
        ObjectNode p = JSON.createObjectNode();
        p.set("_meta", meta(version));
        return p;
    }

    private static Map<String, String> headers(String version, String method, String name) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Authorization", "Bearer " + hub.token());
        h.put("Content-Type", "application/json");
        h.put("Accept", "application/json, text/event-stream");
        if (version != null) {
            h.put("MCP-Protocol-Version", version);
        }
        if (method != null) {
            h.put("Mcp-Method", method);
        }
        if (name != null) {
            h.put("Mcp-Name", name);
        }
        return h;
    }

    private static RawHttp.Response post(Map<String, String> headers, String body) {
        return RawHttp.send(hub.port(), "POST", "/mcp", headers, body);
    }

    /** Sends a well-formed request of the revision and returns the response. */
    private static RawHttp.Response send(String method, String name, ObjectNode params) {
        return post(headers(V, method, name), request(7, method, params));
    }

    private static JsonNode result(RawHttp.Response r) {
        assertEquals(200, r.status(), r.toString());
        JsonNode body = lastMessage(r);
        assertTrue(body.has("result"), r.body());
        return body.get("result");
    }

    /** The JSON body, or the last {@code data:} event of an SSE body. */
    private static JsonNode lastMessage(RawHttp.Response r) {
        List<JsonNode> messages = messages(r);
        return messages.get(messages.size() - 1);
    }

    private static List<JsonNode> messages(RawHttp.Response r) {
        List<JsonNode> out = new ArrayList<>();
        if (r.header("content-type").orElse("").startsWith("text/event-stream")) {
            for (String line : r.body().split("\n", -1)) {
                if (line.startsWith("data:")) {
                    out.add(JSON.readTree(line.substring(5).strip()));
                }
            }
        } else {
            out.add(JSON.readTree(r.body()));
        }
        return out;
    }

    private static void assertError(RawHttp.Response r, int status, int code) {
        assertEquals(status, r.status(), r.toString());
        JsonNode body = JSON.readTree(r.body());
        assertEquals(code, body.path("error").path("code").asInt(), r.body());
    }

    private static void assertServerInfo(JsonNode result) {
        assertEquals(
                "tandem",
                result.path("_meta")
                        .path("io.modelcontextprotocol/serverInfo")
                        .path("name")
                        .asString(),
                result.toString());
    }

    private static void assertCacheable(JsonNode result) {
        assertTrue(result.path("ttlMs").isIntegralNumber(), result.toString());
        assertTrue(result.path("ttlMs").asLong() >= 0, result.toString());
        assertTrue(
                List.of("public", "private").contains(result.path("cacheScope").asString()), result.toString());
    }

    // ---- server/discover --------------------------------------------------------------------------------------

    @Test
    void answersClaudeCodesDiscoverProbeWithVersionsCapabilitiesAndServerInfo() {
        ObjectNode p = params(V);
        ObjectNode caps = (ObjectNode) p.get("_meta").get("io.modelcontextprotocol/clientCapabilities");
        caps.putObject("roots").put("listChanged", true);
        Map<String, String> h = headers(V, "server/discover", null);
        RawHttp.Response r = post(h, request("server-discover-probe-1", "server/discover", p));
        JsonNode result = result(r);
        assertEquals(
                "server-discover-probe-1", JSON.readTree(r.body()).path("id").asString());
        assertEquals("complete", result.path("resultType").asString());
        assertEquals(List.of(V), JSON.convertValue(result.get("supportedVersions"), List.class));
        assertTrue(result.path("capabilities").has("tools"), result.toString());
        assertTrue(result.path("capabilities").has("resources"), result.toString());
        assertTrue(result.path("capabilities").has("prompts"), result.toString());
        assertFalse(result.path("instructions").asString().isBlank(), result.toString());
        assertCacheable(result);
        assertServerInfo(result);
        assertTrue(r.header("mcp-session-id").isEmpty(), r.toString());
    }

    @Test
    void discoverNeedsNoClientInfo() {
        ObjectNode p = params(V);
        ((ObjectNode) p.get("_meta")).remove("io.modelcontextprotocol/clientInfo");
        assertEquals(
                "complete",
                result(send("server/discover", null, p)).path("resultType").asString());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", "io.modelcontextprotocol/protocolVersion", "io.modelcontextprotocol/clientCapabilities"})
    void refusesARequestWithoutTheRequiredMetaFieldsAsInvalidParams(String dropped) {
        ObjectNode p = params(V);
        if (dropped.isEmpty()) {
            p.remove("_meta");
        } else {
            ((ObjectNode) p.get("_meta")).remove(dropped);
        }
        RawHttp.Response r = post(headers(V, "server/discover", null), request("m1", "server/discover", p));
        assertError(r, 400, -32602);
        assertEquals("m1", JSON.readTree(r.body()).path("id").asString());
    }

    // ---- versions and headers ---------------------------------------------------------------------------------

    @Test
    void refusesAVersionItDoesNotSpeakNamingTheOnesItDoes() {
        RawHttp.Response r =
                post(headers("v999.0.0", "tools/list", null), request(3, "tools/list", params("v999.0.0")));
        assertError(r, 400, -32022);
        JsonNode data = JSON.readTree(r.body()).path("error").path("data");
        assertEquals(List.of(V), JSON.convertValue(data.get("supported"), List.class));
        assertEquals("v999.0.0", data.path("requested").asString());
    }

    @Test
    void refusesASessionfulVersionInMetaRatherThanServingItWithoutASession() {
        RawHttp.Response r =
                post(headers("2025-11-25", "tools/list", null), request(3, "tools/list", params("2025-11-25")));
        assertError(r, 400, -32022);
    }

    @Test
    void checksTheVersionHeaderAgainstTheBodyBeforeTheVersion() {
        RawHttp.Response r = post(headers(V, "tools/list", null), request(3, "tools/list", params("v999.0.0")));
        assertError(r, 400, -32020);
    }

    @Test
    void refusesAMissingOrWrongMcpMethodHeader() {
        assertError(post(headers(V, null, null), request(3, "tools/list", params(V))), 400, -32020);
        assertError(post(headers(V, "prompts/list", null), request(3, "tools/list", params(V))), 400, -32020);
        Map<String, String> twice = headers(V, "tools/list", null);
        twice.put("mcp-method", "tools/list");
        assertError(post(twice, request(3, "tools/list", params(V))), 400, -32020);
    }

    @Test
    void refusesAToolCallWhoseMcpNameIsMissingOrDiffers() {
        ObjectNode p = params(V);
        p.put("name", "hub_info");
        p.putObject("arguments");
        assertError(post(headers(V, "tools/call", null), request(4, "tools/call", p)), 400, -32020);
        assertError(post(headers(V, "tools/call", "fs_read"), request(4, "tools/call", p)), 400, -32020);
        assertError(post(headers(V, "tools/call", "=?base64?%%%?="), request(4, "tools/call", p)), 400, -32020);
    }

    @Test
    void acceptsABase64EncodedMcpName() {
        ObjectNode p = params(V);
        p.put("name", "hub_info");
        p.putObject("arguments");
        String encoded =
                "=?base64?" + Base64.getEncoder().encodeToString("hub_info".getBytes(StandardCharsets.UTF_8)) + "?=";
        JsonNode result = result(post(headers(V, "tools/call", encoded), request(4, "tools/call", p)));
        assertEquals("complete", result.path("resultType").asString());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "initialize",
                "ping",
                "logging/setLevel",
                "resources/subscribe",
                "resources/unsubscribe",
                "unknown/method"
            })
    void answersMethodsTheRevisionRemovedWithNotFound(String method) {
        ObjectNode p = params(V);
        p.put("uri", "memory://x");
        p.put("level", "info");
        RawHttp.Response r = send(method, null, p);
        assertError(r, 404, -32601);
    }

    @Test
    void acceptsANotificationWith202() {
        String note = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/whatever\",\"params\":{\"_meta\":"
                + JSON.writeValueAsString(meta(V)) + "}}";
        RawHttp.Response r = post(headers(V, "notifications/whatever", null), note);
        assertEquals(202, r.status(), r.toString());
    }

    // ---- methods without a session ----------------------------------------------------------------------------

    @Test
    void listsToolsWithoutASessionInNameOrderSameAsTheSessionfulList() {
        JsonNode first = result(send("tools/list", null, params(V)));
        JsonNode second = result(send("tools/list", null, params(V)));
        assertEquals("complete", first.path("resultType").asString());
        assertCacheable(first);
        assertServerInfo(first);
        List<String> names = new ArrayList<>();
        first.path("tools").forEach(t -> names.add(t.path("name").asString()));
        assertTrue(names.contains("hub_info"), names.toString());
        assertEquals(names.stream().sorted().toList(), names);
        assertEquals(first.path("tools"), second.path("tools"));
        McpSyncClient legacy = hub.client("sessionful");
        List<String> legacyNames =
                legacy.listTools().tools().stream().map(McpSchema.Tool::name).toList();
        assertEquals(legacyNames, names);
    }

    @Test
    void callsAToolWithoutASessionWithTheSameResultAsInASession() {
        ObjectNode p = params(V);
        p.put("name", "fs_read");
        p.putObject("arguments").put("path", "notes.txt");
        JsonNode result = result(send("tools/call", "fs_read", p));
        assertEquals("complete", result.path("resultType").asString());
        assertServerInfo(result);
        assertFalse(result.has("ttlMs"), result.toString()); // tools/call is not cacheable
        McpSchema.CallToolResult legacy = hub.client("sessionful")
                .callTool(McpSchema.CallToolRequest.builder("fs_read")
                        .arguments(Map.of("path", "notes.txt"))
                        .build());
        assertEquals(1, legacy.content().size());
        assertEquals(1, result.path("content").size(), result.toString());
        assertEquals("text", result.path("content").get(0).path("type").asString());
        assertEquals(
                ((McpSchema.TextContent) legacy.content().get(0)).text(),
                result.path("content").get(0).path("text").asString());
        assertEquals(
                JSON.valueToTree(legacy.structuredContent()).toString(),
                result.path("structuredContent").toString());
        assertFalse(result.path("isError").asBoolean());
    }

    @Test
    void streamsProgressOnTheRequestsOwnStreamWhenAskedWithAProgressToken() {
        ObjectNode p = params(V);
        ((ObjectNode) p.get("_meta")).put("progressToken", "p1");
        p.put("name", "fs_search");
        p.putObject("arguments").put("query", "needle").put("path", "bulk");
        RawHttp.Response r = send("tools/call", "fs_search", p);
        assertEquals(200, r.status(), r.toString());
        assertTrue(
                r.header("content-type").orElse("").startsWith("text/event-stream"),
                r.headers().toString());
        List<JsonNode> messages = messages(r);
        assertTrue(messages.size() >= 3, r.body());
        double last = 0;
        for (JsonNode m : messages.subList(0, messages.size() - 1)) {
            assertEquals("notifications/progress", m.path("method").asString(), m.toString());
            assertEquals("p1", m.path("params").path("progressToken").asString());
            assertTrue(m.path("params").path("progress").asDouble() > last, r.body());
            last = m.path("params").path("progress").asDouble();
        }
        JsonNode result = messages.get(messages.size() - 1).path("result");
        assertEquals("complete", result.path("resultType").asString(), r.body());
        assertFalse(result.path("isError").asBoolean(), r.body());

        ((ObjectNode) p.get("_meta")).remove("progressToken");
        RawHttp.Response plain = send("tools/call", "fs_search", p);
        assertTrue(
                plain.header("content-type").orElse("").startsWith("application/json"),
                plain.headers().toString());
    }

    @Test
    void answersAnUnknownToolAsInvalidParams() {
        ObjectNode p = params(V);
        p.put("name", "no_such_tool");
        p.putObject("arguments");
        RawHttp.Response r = send("tools/call", "no_such_tool", p);
        assertEquals(-32602, JSON.readTree(r.body()).path("error").path("code").asInt(), r.body());
        assertEquals(400, r.status());
    }

    @Test
    void listsResourcesTemplatesAndPromptsWithCacheHints() {
        for (String method : List.of("resources/list", "resources/templates/list", "prompts/list")) {
            JsonNode result = result(send(method, null, params(V)));
            assertEquals("complete", result.path("resultType").asString(), method);
            assertCacheable(result);
            assertServerInfo(result);
        }
    }

    @Test
    void answersAnUnknownResourceWithInvalidParamsNamingTheUri() {
        ObjectNode p = params(V);
        p.put("uri", "memory://no-such-memory");
        RawHttp.Response r = send("resources/read", "memory://no-such-memory", p);
        assertError(r, 400, -32602);
        assertEquals(
                "memory://no-such-memory",
                JSON.readTree(r.body()).path("error").path("data").path("uri").asString());
    }

    @Test
    void ignoresAStaleSessionHeaderOnARequestOfTheRevision() {
        Map<String, String> h = headers(V, "tools/list", null);
        h.put("Mcp-Session-Id", "gone");
        assertEquals(
                "complete",
                result(post(h, request(9, "tools/list", params(V))))
                        .path("resultType")
                        .asString());
    }

    @Test
    void keepsServingSessionfulClientsBesideIt() {
        McpSyncClient legacy = hub.client("sessionful");
        McpSchema.CallToolResult info = legacy.callTool(McpSchema.CallToolRequest.builder("hub_info")
                .arguments(Map.of())
                .build());
        assertFalse(Boolean.TRUE.equals(info.isError()));
        result(send("tools/list", null, params(V)));
        assertFalse(legacy.listTools().tools().isEmpty());
    }
}
