package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class TelemetryRecordingTest {
    @TempDir
    Path dir;

    private static List<Map<String, Object>> rows(TestHub hub, String where) throws SQLException {
        hub.hub().telemetry().orElseThrow().flush(Duration.ofSeconds(10));
        Path db = hub.config().dataDir().resolve("memory.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT * FROM telemetry WHERE " + where + " ORDER BY seq")) {
            List<Map<String, Object>> out = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
                }
                out.add(row);
            }
            return out;
        }
    }

    private static JsonNode overview(TestHub hub) {
        try (DashboardHttp http = new DashboardHttp(hub)) {
            return DashboardHttp.json(http.getWithToken("/api/overview?hours=1"));
        }
    }

    private static List<JsonNode> list(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }

    @Test
    void toolCallByClaudeCodeAppearsInTheOverviewAndTheDatabase() throws Exception {
        try (TestHub hub = TestHub.start(dir, "[memory]\nhost = \"box\"\n", null)) {
            McpSyncClient claude = hub.client("claude-code");
            MemoryToolsTest.ok(MemoryToolsTest.call(claude, "memory_list", Map.of()));

            JsonNode o = overview(hub);
            JsonNode tool = list(o.path("tools")).stream()
                    .filter(t -> "memory_list".equals(t.path("target").asString(null)))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(o.toString()));
            assertEquals("claude", tool.path("engine").asString());
            assertEquals("tools/call", tool.path("method").asString());
            assertEquals(1, tool.path("calls").asInt());
            assertEquals(0, tool.path("errors").asInt());
            assertTrue(tool.path("p99").asDouble() > 0, tool.toString());
            assertTrue(list(o.path("engines")).stream()
                    .anyMatch(e -> e.path("engine").asString().equals("claude")));
            assertEquals(5, o.path("bucketMinutes").asInt());

            List<Map<String, Object>> rows = rows(hub, "target = 'memory_list'");
            assertEquals(1, rows.size());
            Map<String, Object> row = rows.get(0);
            assertEquals("claude", row.get("engine"));
            assertEquals("claude-code", row.get("client_name"));
            assertEquals("1.0.0", row.get("client_version"));
            assertEquals("box", row.get("host"));
            assertEquals("ok", row.get("outcome"));
            assertEquals(null, row.get("error_class"));
            assertFalse(((String) row.get("session_id")).isEmpty());
        }
    }

    @Test
    void initializeIsRecordedUnderTheClientsEngine() throws Exception {
        try (TestHub hub = TestHub.start(dir, "[memory]\nhost = \"box\"\n", null)) {
            hub.client("codex-mcp-client");
            List<Map<String, Object>> rows = rows(hub, "method = 'initialize'");
            assertEquals(1, rows.size());
            assertEquals("codex", rows.get(0).get("engine"));
            assertEquals(null, rows.get(0).get("target"));
        }
    }

    @Test
    void toolErrorIsRecordedAsToolErrorWithTheReasonTheAgentGot() throws Exception {
        try (TestHub hub = TestHub.start(dir, "[memory]\nhost = \"box\"\n", null)) {
            McpSyncClient claude = hub.client("claude-code");
            McpSchema.CallToolResult result =
                    MemoryToolsTest.call(claude, "memory_retrieve", Map.of("id", "nosuchmemory"));
            assertTrue(result.isError());
            String told = ((McpSchema.TextContent) result.content().get(0))
                    .text()
                    .lines()
                    .findFirst()
                    .orElseThrow()
                    .strip();

            List<Map<String, Object>> rows = rows(hub, "target = 'memory_retrieve'");
            assertEquals(1, rows.size());
            assertEquals("tool_error", rows.get(0).get("outcome"));
            assertEquals("tool_error: " + told, rows.get(0).get("error_class"));
            try (DashboardHttp http = new DashboardHttp(hub)) {
                JsonNode error = DashboardHttp.json(http.getWithToken("/api/errors"))
                        .path("errors")
                        .get(0);
                assertEquals("memory_retrieve", error.path("target").asString());
                assertEquals("tool_error", error.path("outcome").asString());
                assertEquals("tool_error", error.path("errorClass").asString());
                assertEquals(told, error.path("reason").asString());
                assertEquals("claude", error.path("engine").asString());
                assertEquals("claude-code", error.path("clientName").asString());
                assertEquals("box", error.path("host").asString());
            }
        }
    }

    @Test
    void jsonRpcErrorIsRecordedWithItsCode() throws Exception {
        try (TestHub hub = TestHub.start(dir, "[memory]\nhost = \"box\"\n", null)) {
            McpSyncClient codex = hub.client("codex-mcp-client");
            McpError e = assertThrows(McpError.class, () -> MemoryToolsTest.call(codex, "no_such_tool", Map.of()));
            String code = Integer.toString(e.getJsonRpcError().code());

            List<Map<String, Object>> rows = rows(hub, "target = 'unknown:no_such_tool'");
            assertEquals(1, rows.size());
            assertEquals("rpc_error", rows.get(0).get("outcome"));
            assertEquals(
                    code + ": " + e.getJsonRpcError().message(), rows.get(0).get("error_class"));
            assertEquals("codex", rows.get(0).get("engine"));
            JsonNode tool = list(overview(hub).path("tools")).stream()
                    .filter(t -> "unknown:no_such_tool".equals(t.path("target").asString(null)))
                    .findFirst()
                    .orElseThrow();
            assertEquals(1, tool.path("errors").asInt());
        }
    }

    @Test
    void hugeUnknownToolNamesAreStoredBoundedAndEscapedAndTheOverviewAnswers() throws Exception {
        try (TestHub hub = TestHub.start(dir, "[memory]\nhost = \"box\"\n", null)) {
            McpSyncClient codex = hub.client("codex-mcp-client");
            String huge = "\u001b]52;c;" + "x".repeat(1_000_000);
            for (int i = 0; i < 20; i++) {
                String name = i + huge;
                assertThrows(McpError.class, () -> MemoryToolsTest.call(codex, name, Map.of()));
            }
            MemoryToolsTest.ok(MemoryToolsTest.call(codex, "memory_list", Map.of()));

            List<Map<String, Object>> rows = rows(hub, "method = 'tools/call'");
            assertEquals(21, rows.size());
            for (Map<String, Object> row : rows) {
                String target = (String) row.get("target");
                String errorClass = (String) row.get("error_class");
                assertTrue(target.length() <= 120, "target of " + target.length() + " characters");
                assertTrue(errorClass == null || errorClass.length() <= 220, errorClass);
                assertFalse(target.chars().anyMatch(Character::isISOControl), target);
                assertFalse(errorClass != null && errorClass.chars().anyMatch(Character::isISOControl), errorClass);
            }
            assertEquals("memory_list", rows.get(20).get("target"));
            assertEquals("unknown:0\\u001b]52;c;xxxx", ((String) rows.get(0).get("target")).substring(0, 25));
            try (DashboardHttp http = new DashboardHttp(hub)) {
                var response = http.getWithToken("/api/overview?hours=1");
                assertEquals(200, response.statusCode(), response.body());
                assertTrue(
                        response.body().length() < 100_000,
                        "overview of " + response.body().length() + " bytes");
            }
        }
    }

    @Test
    void argumentsAreRecordedBySizeNeverByContent() throws Exception {
        String secret = "zq-SECRET-7f3e9a1c-never-in-telemetry";
        try (TestHub hub = TestHub.start(dir, "[memory]\nhost = \"box\"\n", null)) {
            McpSyncClient claude = hub.client("claude-code");
            // memory_search keeps nothing of its query, so any copy of the secret in the file is telemetry's
            MemoryToolsTest.ok(MemoryToolsTest.call(claude, "memory_search", Map.of("query", secret)));

            List<Map<String, Object>> rows = rows(hub, "target = 'memory_search'");
            assertEquals(1, rows.size());
            long size = ((Number) rows.get(0).get("args_bytes")).longValue();
            assertTrue(size > secret.length(), "args_bytes " + size);
            for (Map<String, Object> row : rows(hub, "1 = 1")) {
                assertFalse(row.toString().contains(secret), row.toString());
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (String suffix : List.of("", "-wal", "-shm")) {
                Path file = hub.config().dataDir().resolve("memory.db" + suffix);
                if (Files.exists(file)) {
                    bytes.write(Files.readAllBytes(file));
                }
            }
            assertFalse(bytes.toString(StandardCharsets.ISO_8859_1).contains(secret), "secret found in the database");
        }
    }

    @Test
    void disabledTelemetryRecordsNothing() throws Exception {
        try (TestHub hub = TestHub.start(dir, "[memory]\nhost = \"box\"\n[telemetry]\nenabled = false\n", null)) {
            McpSyncClient claude = hub.client("claude-code");
            MemoryToolsTest.ok(MemoryToolsTest.call(claude, "memory_list", Map.of()));
            assertTrue(hub.hub().telemetry().isEmpty());
            assertEquals(0, overview(hub).path("tools").size());
        }
    }
}
