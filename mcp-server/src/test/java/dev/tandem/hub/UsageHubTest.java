package dev.tandem.hub;

import static dev.tandem.hub.MemoryToolsTest.ok;
import static dev.tandem.hub.MemoryToolsTest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.store.Store;
import dev.tandem.core.store.StoreSettings;
import dev.tandem.core.usage.FileCursor;
import dev.tandem.core.usage.RateLimit;
import dev.tandem.core.usage.UsageBatch;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The usage capability in a real hub: the poller reads logs recorded from the real CLIs (moved to today), agents ask
 * {@code usage_report} over MCP, the dashboard asks {@code /api/usage}, and hub tool calls made with the ids the
 * real CLIs send in {@code _meta} find their sessions.
 */
class UsageHubTest {
    static final String CODEX_SESSION = "01a24ac0-74fc-7a52-ae8c-1406daf122fd";
    static final String CLAUDE_SESSION = "3f92f5f7-2f1a-40ae-ac99-abea8c585e64";
    /** The tool_use id of the MCP call in the Claude fixture (mcp__echo__echo). */
    static final String CLAUDE_TOOL_USE = "toolu_mock_6";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SECRET_PROJECT = "/home/alice/secret-project";
    private static final String SECRET_PROMPT = "TOP SECRET PROMPT TEXT";

    @TempDir
    Path dir;

    static byte[] fixture(String name) {
        try (InputStream in = UsageHubTest.class.getResourceAsStream("/usage/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the fixture with its day moved to today (UTC), its cwd and prompts marked as private. */
    static void place(String fixture, Path target) throws IOException {
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String text = new String(fixture(fixture), StandardCharsets.UTF_8)
                .replace("2026-12-06T", today + "T")
                .replace("/tmp/tr/proj1", SECRET_PROJECT)
                .replace("/tmp/tr/cl.proj_1/a-b", SECRET_PROJECT)
                .replace("Do the full demo", SECRET_PROMPT);
        Files.createDirectories(target.getParent());
        Files.writeString(target, text, StandardCharsets.UTF_8);
    }

    private TestHub hub(String toml) throws IOException {
        Path home = dir.resolve("home");
        place(
                "codex-0.169.0-rollout-full-then-resumed.jsonl",
                home.resolve(".codex/sessions/2026/12/06/rollout-2026-12-06T09-47-36-" + CODEX_SESSION + ".jsonl"));
        place(
                "claude-2.1.329-project-log-full.jsonl",
                home.resolve(".claude/projects/-p/" + CLAUDE_SESSION + ".jsonl"));
        place("claude-2.1.329-project-log-priced-sonnet.jsonl", home.resolve(".claude/projects/-p/priced.jsonl"));
        return TestHub.start(dir, "[memory]\nhost = \"box\"\n[usage]\ntimezone = \"UTC\"\n" + toml, null);
    }

    /** Calls usage_report until the poller's first read is in (it starts with the hub). */
    private static Map<String, Object> report(McpSyncClient client, Map<String, Object> args)
            throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            Map<String, Object> out = ok(MemoryToolsTest.call(client, "usage_report", args));
            if (out.get("asOf") != null) {
                return out;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the poller never read the logs");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }

    @Test
    void usageReportGivesEachEnginesTokensCostBudgetsAndWindows() throws Exception {
        try (TestHub hub = hub("daily_usd = 0.05\n[usage.codex]\ndaily_usd = 0.014\n")) {
            Map<String, Object> out = report(hub.client("codex-mcp-client"), Map.of("days", 1));
            Map<String, Object> codex = map(map(out.get("engines")).get("codex"));
            assertEquals(5L, ((Number) codex.get("responses")).longValue());
            assertEquals(0.01192, ((Number) codex.get("costUSD")).doubleValue(), 1e-9);
            Map<String, Object> claude = map(map(out.get("engines")).get("claude"));
            assertEquals(0.057, ((Number) claude.get("costUSD")).doubleValue(), 1e-9);
            assertEquals(List.of("claude-opus-5-5"), out.get("unpricedModels"));
            assertEquals(0, ((Number) out.get("damagedResponses")).intValue(), "no damaged line in the fixtures");
            List<Map<String, Object>> budgets = list(out.get("budgets"));
            assertEquals("over", budgets.get(0).get("level"), budgets.toString()); // 0.069 of 0.05
            assertEquals("warning", budgets.get(1).get("level"), budgets.toString()); // 0.0119 of 0.014
            List<Map<String, Object>> limits = list(out.get("rateLimits"));
            assertTrue(
                    limits.stream()
                            .anyMatch(l -> "codex".equals(l.get("engine"))
                                    && Double.valueOf(12.5).equals(l.get("usedPercent"))),
                    limits.toString());
            assertTrue(
                    limits.stream().anyMatch(l -> "claude".equals(l.get("engine")) && l.get("usedPercent") == null),
                    limits.toString());
        }
    }

    /**
     * On one machine the windows of {@code usage_report} name no host (there is one); once the store holds the windows
     * of several hosts (a fleet's), each names its host, so an agent sees which machine is near its limit.
     */
    @Test
    void usageReportNamesEachWindowsHostOnlyWhenItCoversSeveralHosts() throws Exception {
        try (TestHub hub = hub("")) {
            McpSyncClient agent = hub.client("codex-mcp-client");
            List<Map<String, Object>> alone = list(report(agent, Map.of()).get("rateLimits"));
            assertFalse(alone.isEmpty());
            assertTrue(alone.stream().noneMatch(w -> w.containsKey("host")), alone.toString());

            try (Store store = Store.open(StoreSettings.from(hub.config()))) {
                Instant now = Instant.now();
                FileCursor cursor = new FileCursor("/l/r.jsonl", "codex", "(1,2)", 10, 1L, 10, "h", "{}", now);
                RateLimit laptop = new RateLimit(
                        "codex", "primary", 90, 300, Optional.of(now.plusSeconds(3600)), now.minusSeconds(30));
                assertTrue(store.usage("laptop")
                        .apply(new UsageBatch(Optional.empty(), cursor, List.of(), List.of(laptop), List.of())));
            }
            List<Map<String, Object>> fleet = list(report(agent, Map.of()).get("rateLimits"));
            assertTrue(fleet.stream().allMatch(w -> w.containsKey("host")), fleet.toString());
            Map<Object, Object> primary = new TreeMap<>();
            fleet.stream()
                    .filter(w -> "codex".equals(w.get("engine")) && "primary".equals(w.get("name")))
                    .forEach(w -> primary.put(w.get("host"), w.get("usedPercent")));
            assertEquals(Map.of("box", 12.5, "laptop", 90.0), primary);
        }
    }

    @Test
    void usageReportTakesNoPathAndTellsNoPathSessionOrPrompt() throws Exception {
        try (TestHub hub = hub("")) {
            McpSyncClient agent = hub.client("claude-code");
            report(agent, Map.of());
            for (String arg : List.of("path", "codex_home", "root", "claude_dirs")) {
                McpSchema.CallToolResult refused = MemoryToolsTest.call(agent, "usage_report", Map.of(arg, "/etc"));
                assertTrue(refused.isError(), arg);
                assertTrue(text(refused).contains("'" + arg + "'"), text(refused));
            }
            McpSchema.CallToolResult badEngine = MemoryToolsTest.call(agent, "usage_report", Map.of("engine", "../x"));
            assertTrue(badEngine.isError());
            String all = text(MemoryToolsTest.call(agent, "usage_report", Map.of("days", 366)));
            for (String secret : List.of(
                    SECRET_PROJECT,
                    "alice",
                    SECRET_PROMPT,
                    dir.toString(),
                    CODEX_SESSION,
                    CLAUDE_SESSION,
                    "rollout-")) {
                assertFalse(all.contains(secret), "usage_report leaked " + secret + ": " + all);
            }
        }
    }

    @Test
    void hubToolCallsFindTheSessionsThatMadeThemThroughTheIdsTheClisSend() throws Exception {
        try (TestHub hub = hub("")) {
            report(hub.client("codex-mcp-client"), Map.of());
            // the _meta the real clients send (fixture mcp-tools-call-meta-…): Codex its session, Claude the tool_use
            // id
            hub.client("codex-mcp-client")
                    .callTool(McpSchema.CallToolRequest.builder("hub_info")
                            .arguments(Map.of())
                            .meta(Map.of(
                                    "callId", "call_mock_9", "sessionId", CODEX_SESSION, "threadId", CODEX_SESSION))
                            .build());
            hub.client("claude-code")
                    .callTool(McpSchema.CallToolRequest.builder("hub_info")
                            .arguments(Map.of())
                            .meta(Map.of("claudecode/toolUseId", CLAUDE_TOOL_USE, "progressToken", 2))
                            .build());
            hub.client("claude-code")
                    .callTool(McpSchema.CallToolRequest.builder("portfolio_list")
                            .arguments(Map.of())
                            .meta(Map.of("claudecode/toolUseId", "toolu_not_in_any_log"))
                            .build());
            hub.hub().telemetry().orElseThrow().flush(Duration.ofSeconds(10));
            JsonNode sessions;
            try (DashboardHttp http = new DashboardHttp(hub)) {
                var res = http.get("/api/usage?days=1", Map.of("Cookie", http.login()));
                assertEquals(200, res.statusCode(), res.body());
                sessions = JSON.readTree(res.body()).path("sessions").path("rows");
            }
            List<JsonNode> rows =
                    StreamSupport.stream(sessions.spliterator(), false).toList();
            JsonNode codex = row(rows, CODEX_SESSION);
            assertEquals("hub_info", codex.path("hubCalls").get(0).path("tool").asString(), codex.toString());
            assertEquals(0.01192, codex.path("total").path("costUSD").asDouble(), 1e-9);
            JsonNode claude = row(rows, CLAUDE_SESSION);
            assertEquals("hub_info", claude.path("hubCalls").get(0).path("tool").asString(), claude.toString());
            assertEquals(SECRET_PROJECT, claude.path("project").asString(), "the person's own view shows the project");
            JsonNode loose = row(rows, "");
            assertEquals(
                    "portfolio_list", loose.path("hubCalls").get(0).path("tool").asString(), loose.toString());
        }
    }

    private static JsonNode row(List<JsonNode> rows, String session) {
        return rows.stream()
                .filter(r -> r.path("session").asString("").equals(session))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no session " + session + " in " + rows));
    }

    @Test
    void theBearerTokenAgentsHoldGetsNoSessionsOrFoldersFromTheDashboardApi() throws Exception {
        try (TestHub hub = hub("");
                DashboardHttp http = new DashboardHttp(hub)) {
            report(hub.client("claude-code"), Map.of());
            var byToken = http.getWithToken("/api/usage?days=1");
            assertEquals(200, byToken.statusCode(), byToken.body());
            assertTrue(JSON.readTree(byToken.body()).path("sessions").isMissingNode(), byToken.body());
            for (String secret : List.of(SECRET_PROJECT, CODEX_SESSION, CLAUDE_SESSION)) {
                assertFalse(byToken.body().contains(secret), "/api/usage with the token told " + secret);
            }
            var byCookie = http.get("/api/usage?days=1", Map.of("Cookie", http.login()));
            assertTrue(byCookie.body().contains(SECRET_PROJECT), "the person's browser sees the folders");
        }
    }

    @Test
    void dashboardUsageRefusesAnUnknownEngine() throws Exception {
        try (TestHub hub = hub("");
                DashboardHttp http = new DashboardHttp(hub)) {
            var res = http.getWithToken("/api/usage?engine=gemini");
            assertEquals(400, res.statusCode());
            assertTrue(res.body().contains("engine"), res.body());
            assertEquals(401, http.get("/api/usage", Map.of()).statusCode());
        }
    }
}
