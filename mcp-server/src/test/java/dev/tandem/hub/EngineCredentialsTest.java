package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.config.TokenFile;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The hub knows a client by the credential it brings, never by the name it gives itself: each engine has its own
 * token file beside the person's, and the engine of a request (memory scope, telemetry, hub_info) follows it.
 */
class EngineCredentialsTest {
    private static final String HUB_TOML = "[memory]\nhost = \"box\"\n";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private static McpSchema.CallToolResult call(McpSyncClient client, String tool, Map<String, Object> args) {
        return client.callTool(
                McpSchema.CallToolRequest.builder(tool).arguments(args).build());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> ok(McpSchema.CallToolResult result) {
        assertFalse(result.isError(), () -> result.content().toString());
        return (Map<String, Object>) result.structuredContent();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> caller(McpSyncClient client) {
        return (Map<String, Object>) ok(call(client, "hub_info", Map.of())).get("caller");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> hitIds(Map<String, Object> out) {
        return ((List<Map<String, Object>>) out.get("hits"))
                .stream().map(h -> h.get("id")).toList();
    }

    private static List<String> telemetry(TestHub hub, String column, String where) throws Exception {
        hub.hub().telemetry().orElseThrow().flush(Duration.ofSeconds(10));
        Path db = hub.config().dataDir().resolve("memory.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT " + column + " FROM telemetry WHERE " + where)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    // ---- the attacker: Codex's credential, Claude's name ----------------------------------------------------

    @Test
    void clientOnCodexCredentialCallingItselfClaudeCodeCannotReadClaudesClientMemories() {
        try (TestHub hub = TestHub.start(dir, HUB_TOML, null)) {
            McpSyncClient claude = hub.clientOn("claude", "claude-code");
            String secret = (String) ok(call(claude, "memory_store", Map.of("content", "alpha is claude's own")))
                    .get("id");
            McpSyncClient impostor = hub.clientOn("codex", "claude-code");
            assertEquals(List.of(), hitIds(ok(call(impostor, "memory_search", Map.of("query", "alpha")))));
            assertTrue(call(impostor, "memory_retrieve", Map.of("id", secret)).isError());
            assertEquals(List.of(secret), hitIds(ok(call(claude, "memory_search", Map.of("query", "alpha")))));
        }
    }

    @Test
    void clientOnCodexCredentialCallingItselfClaudeCodeIsCodex() throws Exception {
        try (TestHub hub = TestHub.start(dir, HUB_TOML, null)) {
            Map<String, Object> who = caller(hub.clientOn("codex", "claude-code"));
            assertEquals("codex", who.get("engine"));
            assertEquals("codex", who.get("credential"));
            assertEquals("claude-code", who.get("clientName"));
            assertEquals(List.of("codex"), telemetry(hub, "engine", "target = 'hub_info'"));
            assertEquals(List.of("codex"), telemetry(hub, "credential", "target = 'hub_info'"));
        }
    }

    @Test
    void clientOnThePersonsTokenIsNoEngineWhateverItsName() throws Exception {
        try (TestHub hub = TestHub.start(dir, HUB_TOML, null)) {
            McpSyncClient claude = hub.clientOn("claude", "claude-code");
            String secret = (String) ok(call(claude, "memory_store", Map.of("content", "alpha is claude's own")))
                    .get("id");
            McpSyncClient person = hub.clientOn("person", "claude-code");
            Map<String, Object> who = caller(person);
            assertEquals("other", who.get("engine"));
            assertEquals("person", who.get("credential"));
            assertTrue(call(person, "memory_retrieve", Map.of("id", secret)).isError());
            assertEquals(List.of("person"), telemetry(hub, "credential", "target = 'hub_info'"));
        }
    }

    // ---- host scope: every engine on the hub's host ---------------------------------------------------------

    @Test
    void hostScopedMemoryOfClaudeIsSeenByCodexOnTheSameHostButClientScopedIsNot() {
        try (TestHub hub = TestHub.start(dir, HUB_TOML, null)) {
            McpSyncClient claude = hub.clientOn("claude", "claude-code");
            McpSyncClient codex = hub.clientOn("codex", "codex-mcp-client");
            String onHost = (String)
                    ok(call(claude, "memory_store", Map.of("content", "alpha deploys from box", "scope", "host")))
                            .get("id");
            ok(call(claude, "memory_store", Map.of("content", "alpha is claude's own")));
            assertEquals(List.of(onHost), hitIds(ok(call(codex, "memory_search", Map.of("query", "alpha")))));
            Map<String, Object> got = ok(call(codex, "memory_retrieve", Map.of("id", onHost)));
            assertEquals("host", got.get("scope"));
            assertEquals("box", got.get("host"));
            assertEquals(
                    List.of(onHost),
                    hitIds(ok(call(claude, "memory_search", Map.of("query", "alpha", "scope", "host")))));
        }
    }

    @Test
    void callerHostIsTheHubsConfiguredHostForLocalCredentials() {
        try (TestHub hub = TestHub.start(dir, HUB_TOML, null)) {
            assertEquals(
                    "box", caller(hub.clientOn("codex", "codex-mcp-client")).get("host"));
            assertEquals("box", caller(hub.clientOn("person", "tandem")).get("host"));
        }
    }

    // ---- sessions belong to their credential ------------------------------------------------------------------

    @Test
    void sessionOpenedWithClaudesCredentialIsRefusedWithCodexs() {
        try (TestHub hub = TestHub.start(dir, HUB_TOML, null)) {
            RawHttp.Response init = RawHttp.send(
                    hub.port(), "POST", "/mcp", McpHttp.headers(hub.token("claude")), McpHttp.initialize("2025-11-25"));
            assertEquals(200, init.status(), init.toString());
            String session = init.header("mcp-session-id").orElseThrow();
            RawHttp.Response stolen = RawHttp.send(
                    hub.port(),
                    "POST",
                    "/mcp",
                    McpHttp.headers(hub.token("codex"), session),
                    McpHttp.call(2, "hub_info"));
            assertEquals(404, stolen.status(), stolen.toString());
            RawHttp.Response own = RawHttp.send(
                    hub.port(),
                    "POST",
                    "/mcp",
                    McpHttp.headers(hub.token("claude"), session),
                    McpHttp.call(3, "hub_info"));
            assertEquals(200, own.status(), own.toString());
            assertEquals(
                    "claude",
                    lastJson(own.body())
                            .path("result")
                            .path("structuredContent")
                            .path("caller")
                            .path("credential")
                            .asString());
        }
    }

    @Test
    void sessionOpenedWithTheEnginesCredentialCannotBeClosedWithThePersonsToken() {
        try (TestHub hub = TestHub.start(dir, HUB_TOML, null)) {
            RawHttp.Response init = RawHttp.send(
                    hub.port(), "POST", "/mcp", McpHttp.headers(hub.token("codex")), McpHttp.initialize("2025-06-18"));
            String session = init.header("mcp-session-id").orElseThrow();
            RawHttp.Response delete =
                    RawHttp.send(hub.port(), "DELETE", "/mcp", McpHttp.headers(hub.token(), session), null);
            assertEquals(404, delete.status(), delete.toString());
        }
    }

    // ---- protocol 2026-07-28: each request brings its credential ----------------------------------------------

    @Test
    void statelessRequestOnCodexCredentialCallingItselfClaudeCodeIsCodex() throws Exception {
        try (TestHub hub = TestHub.start(dir, HUB_TOML, null)) {
            String body = "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"hub_info\","
                    + "\"arguments\":{},\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                    + "\"io.modelcontextprotocol/clientCapabilities\":{},"
                    + "\"io.modelcontextprotocol/clientInfo\":{\"name\":\"claude-code\",\"version\":\"9\"}}}}";
            Map<String, String> h = McpHttp.headers(hub.token("codex"));
            h.put("MCP-Protocol-Version", "2026-07-28");
            h.put("Mcp-Method", "tools/call");
            h.put("Mcp-Name", "hub_info");
            RawHttp.Response r = RawHttp.send(hub.port(), "POST", "/mcp", h, body);
            assertEquals(200, r.status(), r.toString());
            JsonNode result = lastJson(r.body()).path("result");
            assertEquals(
                    "codex",
                    result.path("structuredContent")
                            .path("caller")
                            .path("engine")
                            .asString());
            assertEquals(
                    "codex",
                    result.path("structuredContent")
                            .path("caller")
                            .path("credential")
                            .asString());
            assertEquals(List.of("codex"), telemetry(hub, "engine", "target = 'hub_info'"));
        }
    }

    private static JsonNode lastJson(String body) {
        String text = body.strip();
        if (text.startsWith("{")) {
            return JSON.readTree(text);
        }
        String last = "";
        for (String line : text.lines().toList()) {
            if (line.startsWith("data:")) {
                last = line.substring(5).strip();
            }
        }
        return JSON.readTree(last);
    }

    // ---- the dashboard is the person's ------------------------------------------------------------------------

    @Test
    void engineCredentialDoesNotOpenTheDashboardApi() {
        try (TestHub hub = TestHub.start(dir, HUB_TOML, null)) {
            RawHttp.Response r = RawHttp.send(
                    hub.port(), "GET", "/api/overview", Map.of("Authorization", "Bearer " + hub.token("codex")), null);
            assertEquals(401, r.status(), r.toString());
            RawHttp.Response person = RawHttp.send(
                    hub.port(), "GET", "/api/overview", Map.of("Authorization", "Bearer " + hub.token()), null);
            assertEquals(200, person.status(), person.toString());
        }
    }

    // ---- rotation and revocation, one engine at a time, without a restart -------------------------------------

    @Test
    void rotatingCodexCredentialRefusesTheOldOneAndLeavesClaudeWorking() throws Exception {
        try (TestHub hub = TestHub.start(dir, HUB_TOML, null)) {
            String old = hub.token("codex");
            String fresh = new TokenFile(hub.config().engineTokenFile("codex")).rotate();
            assertEquals(401, initialize(hub, old).status());
            assertEquals(200, initialize(hub, fresh).status());
            assertEquals(200, initialize(hub, hub.token("claude")).status());
            assertEquals(200, initialize(hub, hub.token()).status());
        }
    }

    @Test
    void revokingClaudesCredentialRefusesItAndLeavesCodexWorking() throws Exception {
        try (TestHub hub = TestHub.start(dir, HUB_TOML, null)) {
            String claude = hub.token("claude");
            Files.delete(hub.config().engineTokenFile("claude"));
            assertEquals(401, initialize(hub, claude).status());
            assertEquals(200, initialize(hub, hub.token("codex")).status());
        }
    }

    @Test
    void tokenCommandRotatesOneEnginesCredentialWhileTheHubRuns() {
        try (TestHub hub = TestHub.start(dir, HUB_TOML, null)) {
            String old = hub.token("codex");
            String file = hub.config().tokenFile().toString();
            TandemCli.Run run = TandemCli.tandem("token", "--token-file", file, "--engine", "codex", "--rotate");
            assertEquals(0, run.exit(), run.err());
            String fresh = run.out().strip();
            assertEquals(hub.token("codex"), fresh);
            assertEquals(401, initialize(hub, old).status());
            assertEquals(200, initialize(hub, fresh).status());
            assertEquals(200, initialize(hub, hub.token("claude")).status());
        }
    }

    @Test
    void tokenCommandRevokesOneEnginesCredentialWhileTheHubRuns() {
        try (TestHub hub = TestHub.start(dir, HUB_TOML, null)) {
            String claude = hub.token("claude");
            String file = hub.config().tokenFile().toString();
            TandemCli.Run run = TandemCli.tandem("token", "--token-file", file, "--engine", "claude", "--revoke");
            assertEquals(0, run.exit(), run.err());
            assertFalse(run.out().contains(claude), "the revoked token is not printed");
            assertFalse(Files.exists(hub.config().engineTokenFile("claude")));
            assertEquals(401, initialize(hub, claude).status());
            assertEquals(200, initialize(hub, hub.token("codex")).status());
        }
    }

    @Test
    void tokenCommandRefusesAnUnknownEngineNamingTheKnownOnes() {
        TandemCli.Run run = TandemCli.tandem(
                "token", "--token-file", dir.resolve("t/token").toString(), "--engine", "gemini", "--rotate");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("unknown engine 'gemini'; known: codex, claude"), run.err());
    }

    private static RawHttp.Response initialize(TestHub hub, String token) {
        return RawHttp.send(hub.port(), "POST", "/mcp", McpHttp.headers(token), McpHttp.initialize("2025-11-25"));
    }
}
