package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.config.ConfigException;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code [clients.ENGINE] tools}: what an engine sees in {@code tools/list} and may call, on both revisions, keyed by
 * the engine of the credential (never the client's name).
 */
class ToolProfilesTest {
    private static final String CODEX_SMALL = "[clients.codex]\ntools = [\"fs\", \"memory_search\"]\n";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private static Set<String> names(McpSyncClient client) {
        Set<String> out = new TreeSet<>();
        client.listTools().tools().forEach(t -> out.add(t.name()));
        return out;
    }

    @Test
    void codexProfileListsOnlyItsToolsAndHubInfo() {
        try (TestHub hub = TestHub.start(dir, CODEX_SMALL, null)) {
            Set<String> seen = names(hub.clientOn("codex", "codex-mcp-client"));
            assertTrue(
                    seen.contains("fs_read") && seen.contains("memory_search") && seen.contains("hub_info"),
                    seen::toString);
            assertFalse(seen.contains("git_status") || seen.contains("memory_store"), seen::toString);
            assertTrue(
                    seen.stream()
                            .allMatch(n -> n.startsWith("fs_") || n.equals("memory_search") || n.equals("hub_info")),
                    seen::toString);
        }
    }

    @Test
    void hiddenToolCalledAnywayIsRefusedAsUnknown() {
        try (TestHub hub = TestHub.start(dir, CODEX_SMALL, null)) {
            McpSyncClient codex = hub.clientOn("codex", "codex-mcp-client");
            McpError e = assertThrows(
                    McpError.class,
                    () -> codex.callTool(McpSchema.CallToolRequest.builder("memory_store")
                            .arguments(Map.of("content", "x"))
                            .build()));
            assertEquals(
                    McpSchema.ErrorCodes.INVALID_PARAMS, e.getJsonRpcError().code());
            assertTrue(e.getMessage().contains("Unknown tool: memory_store"), e.getMessage());
        }
    }

    @Test
    void profileFollowsTheCredentialNotTheName() {
        try (TestHub hub = TestHub.start(dir, CODEX_SMALL, null)) {
            assertFalse(names(hub.clientOn("codex", "claude-code")).contains("git_status"));
            assertTrue(names(hub.clientOn("claude", "codex-mcp-client")).contains("git_status"));
            assertTrue(names(hub.clientOn("person", "codex-mcp-client")).contains("git_status"));
        }
    }

    @Test
    void statelessRevisionAppliesTheSameProfile() {
        try (TestHub hub = TestHub.start(dir, CODEX_SMALL, null)) {
            JsonNode list = stateless(hub, "codex", "tools/list", null, "{}");
            Set<String> seen = new TreeSet<>();
            list.path("result")
                    .path("tools")
                    .forEach(t -> seen.add(t.path("name").asString()));
            assertTrue(seen.contains("fs_read") && !seen.contains("git_status"), seen::toString);
            JsonNode call =
                    stateless(hub, "codex", "tools/call", "git_status", "{\"name\":\"git_status\",\"arguments\":{}}");
            assertEquals(-32602, call.path("error").path("code").asInt(), call.toString());
            JsonNode claude = stateless(hub, "claude", "tools/list", null, "{}");
            assertTrue(claude.path("result").path("tools").size()
                    > list.path("result").path("tools").size());
        }
    }

    @Test
    void unknownToolOrGroupIsAConfigErrorNamingTheFileLineAndKnownNames() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> TestHub.start(dir, "[clients.claude]\ntools = [\"fs\", \"gti\"]\n", null)
                        .close());
        assertTrue(e.getMessage().contains("hub.toml:2:"), e.getMessage());
        assertTrue(
                e.getMessage().contains("[clients.claude] tools names an unknown tool or group 'gti'"), e.getMessage());
        assertTrue(e.getMessage().contains("known: fs, git, memory,"), e.getMessage());
        assertTrue(e.getMessage().contains("git_status"), e.getMessage());
    }

    @Test
    void withoutAProfileEveryEngineSeesEverything() {
        try (TestHub hub = TestHub.start(dir, "", null)) {
            assertEquals(names(hub.clientOn("person", "x")), names(hub.clientOn("codex", "codex-mcp-client")));
            assertEquals(names(hub.clientOn("person", "x")), names(hub.clientOn("claude", "claude-code")));
        }
    }

    private static JsonNode stateless(TestHub hub, String credential, String method, String name, String params) {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"" + method + "\",\"params\":"
                + params.substring(0, params.length() - 1) + (params.equals("{}") ? "" : ",")
                + "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                + "\"io.modelcontextprotocol/clientCapabilities\":{}}}}";
        Map<String, String> h = McpHttp.headers(hub.token(credential));
        h.put("MCP-Protocol-Version", "2026-07-28");
        h.put("Mcp-Method", method);
        if (name != null) {
            h.put("Mcp-Name", name);
        }
        RawHttp.Response r = RawHttp.send(hub.port(), "POST", "/mcp", h, body);
        String text = r.body().strip();
        if (!text.startsWith("{")) {
            String last = "";
            for (String line : text.lines().toList()) {
                if (line.startsWith("data:")) {
                    last = line.substring(5).strip();
                }
            }
            text = last;
        }
        return JSON.readTree(text);
    }
}
