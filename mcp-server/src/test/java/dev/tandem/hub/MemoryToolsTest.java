package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MemoryToolsTest {
    private static final String HUB_TOML = "[memory]\nhost = \"box\"\nmax_bytes = 200\n";

    @TempDir
    Path dir;

    static McpSchema.CallToolResult call(McpSyncClient client, String tool, Map<String, Object> args) {
        return client.callTool(
                McpSchema.CallToolRequest.builder(tool).arguments(args).build());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> ok(McpSchema.CallToolResult result) {
        assertFalse(result.isError(), () -> text(result));
        return (Map<String, Object>) result.structuredContent();
    }

    static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> hits(Map<String, Object> out) {
        return (List<Map<String, Object>>) out.get("hits");
    }

    @Test
    void storedMemoryIsFoundBySearchWithMarkedSnippet() {
        try (TestHub hub = TestHub.start(dir, HUB_TOML, null)) {
            McpSyncClient claude = hub.client("claude-code");
            Map<String, Object> stored = ok(call(
                    claude,
                    "memory_store",
                    Map.of("content", "Release builds need the signing key from the vault.", "tags", List.of("Ops"))));
            String id = (String) stored.get("id");
            assertEquals("Release builds need the signing key from the vault.", stored.get("summary"));
            assertEquals("claude", stored.get("engine"));
            assertEquals("box", stored.get("host"));
            List<Map<String, Object>> hits = hits(ok(call(claude, "memory_search", Map.of("query", "signing vault"))));
            assertEquals(1, hits.size());
            assertEquals(id, hits.get(0).get("id"));
            assertTrue(hits.get(0).get("snippet").toString().contains("**signing**"));
            assertEquals(List.of("ops"), hits.get(0).get("tags"));
        }
    }

    @Test
    void clientMemoryIsHiddenFromCodexWhileSharedIsSeen() {
        try (TestHub hub = TestHub.start(dir, HUB_TOML, null)) {
            McpSyncClient claude = hub.client("claude-code");
            McpSyncClient codex = hub.client("codex-mcp-client");
            String mine = (String) ok(call(claude, "memory_store", Map.of("content", "alpha is private")))
                    .get("id");
            ok(call(claude, "memory_store", Map.of("content", "alpha is shared", "scope", "shared")));
            List<Map<String, Object>> seen = hits(ok(call(codex, "memory_search", Map.of("query", "alpha"))));
            assertEquals(
                    List.of("shared"), seen.stream().map(h -> h.get("scope")).toList());
            McpSchema.CallToolResult hidden = call(codex, "memory_retrieve", Map.of("id", mine));
            assertTrue(hidden.isError());
            assertTrue(text(hidden).contains(mine), text(hidden));
        }
    }

    @Test
    void emptyContentIsAToolErrorNamingContent() {
        try (TestHub hub = TestHub.start(dir, HUB_TOML, null)) {
            McpSchema.CallToolResult r = call(hub.client("claude-code"), "memory_store", Map.of("content", "   "));
            assertTrue(r.isError());
            assertEquals("content is empty", text(r));
        }
    }

    @Test
    void contentOverTheConfiguredCapIsAToolError() {
        try (TestHub hub = TestHub.start(dir, HUB_TOML, null)) {
            McpSchema.CallToolResult r =
                    call(hub.client("claude-code"), "memory_store", Map.of("content", "x".repeat(201)));
            assertTrue(r.isError());
            assertTrue(text(r).contains("201 bytes; the limit is 200"), text(r));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"quoted", "dash-ed -not", "col:on", "(paren", "a AND OR NOT b", "NEAR(a b, 2)", "*"})
    void rawQueryWithFtsSyntaxGivesASaneAnswer(String query) {
        try (TestHub hub = TestHub.start(dir, HUB_TOML, null)) {
            McpSyncClient claude = hub.client("claude-code");
            ok(call(claude, "memory_store", Map.of("content", "quoted dash ed col on paren near")));
            McpSchema.CallToolResult r = call(claude, "memory_search", Map.of("query", query));
            if (r.isError()) {
                assertEquals("query '" + query + "' has no word to search for", text(r));
            } else {
                assertFalse(text(r).contains("Exception"), text(r));
            }
        }
    }

    @Test
    void updateKeepsEarlierVersionRetrievable() {
        try (TestHub hub = TestHub.start(dir, HUB_TOML, null)) {
            McpSyncClient claude = hub.client("claude-code");
            String id = (String)
                    ok(call(claude, "memory_store", Map.of("content", "v one"))).get("id");
            Map<String, Object> v2 = ok(call(claude, "memory_store", Map.of("content", "v two", "id", id)));
            assertEquals(2, v2.get("version"));
            assertEquals(
                    "v two",
                    ok(call(claude, "memory_retrieve", Map.of("id", id))).get("content"));
            assertEquals(
                    "v one",
                    ok(call(claude, "memory_retrieve", Map.of("id", id, "version", 1)))
                            .get("content"));
        }
    }

    @Test
    void listPagesMostRecentFirst() {
        try (TestHub hub = TestHub.start(dir, HUB_TOML, null)) {
            McpSyncClient claude = hub.client("claude-code");
            for (int i = 0; i < 3; i++) {
                ok(call(claude, "memory_store", Map.of("content", "note " + i)));
            }
            Map<String, Object> page = ok(call(claude, "memory_list", Map.of("limit", 2)));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
            assertEquals(
                    List.of("note 2", "note 1"),
                    items.stream().map(m -> m.get("summary")).toList());
            assertEquals(2, page.get("nextOffset"));
            Map<String, Object> next = ok(call(claude, "memory_list", Map.of("offset", 2, "limit", 2)));
            assertFalse(next.containsKey("nextOffset"));
        }
    }

    @Test
    void deletedMemoryCannotBeRetrieved() {
        try (TestHub hub = TestHub.start(dir, HUB_TOML, null)) {
            McpSyncClient claude = hub.client("claude-code");
            String id = (String) ok(call(claude, "memory_store", Map.of("content", "gone soon")))
                    .get("id");
            assertEquals(
                    true, ok(call(claude, "memory_delete", Map.of("id", id))).get("deleted"));
            assertTrue(call(claude, "memory_retrieve", Map.of("id", id)).isError());
            assertTrue(call(claude, "memory_delete", Map.of("id", id)).isError());
        }
    }

    @Test
    void memoryResourceReadsAsMarkdown() {
        try (TestHub hub = TestHub.start(dir, HUB_TOML, null)) {
            McpSyncClient claude = hub.client("claude-code");
            String id = (String) ok(call(claude, "memory_store", Map.of("content", "Body text.", "title", "Heading")))
                    .get("id");
            McpSchema.ReadResourceResult r = claude.readResource(
                    McpSchema.ReadResourceRequest.builder("memory://" + id).build());
            McpSchema.TextResourceContents c =
                    (McpSchema.TextResourceContents) r.contents().get(0);
            assertEquals("# Heading\n\nBody text.", c.text());
            assertEquals("text/markdown", c.mimeType());
            assertTrue(claude.listResourceTemplates().resourceTemplates().stream()
                    .anyMatch(t -> t.uriTemplate().equals("memory://{id}")));
        }
    }

    @Test
    void unknownMemoryResourceIsResourceNotFound() {
        try (TestHub hub = TestHub.start(dir, HUB_TOML, null)) {
            McpSyncClient claude = hub.client("claude-code");
            McpError e = assertThrows(
                    McpError.class,
                    () -> claude.readResource(McpSchema.ReadResourceRequest.builder("memory://nope")
                            .build()));
            assertEquals(
                    McpSchema.ErrorCodes.RESOURCE_NOT_FOUND, e.getJsonRpcError().code());
        }
    }

    @Test
    void toolsDeclareTruthfulAnnotationsAndOutputSchemas() {
        try (TestHub hub = TestHub.start(dir, HUB_TOML, null)) {
            Map<String, McpSchema.Tool> tools = new java.util.HashMap<>();
            hub.client("claude-code").listTools().tools().forEach(t -> tools.put(t.name(), t));
            for (String name : List.of("memory_search", "memory_retrieve", "memory_list")) {
                assertTrue(tools.get(name).annotations().readOnlyHint(), name);
            }
            assertFalse(tools.get("memory_store").annotations().readOnlyHint());
            assertFalse(tools.get("memory_store").annotations().destructiveHint());
            assertTrue(tools.get("memory_delete").annotations().destructiveHint());
            tools.values().stream()
                    .filter(t -> t.name().startsWith("memory_"))
                    .forEach(t -> assertTrue(t.outputSchema().containsKey("properties"), t.name()));
        }
    }

    @Test
    void databaseLivesInTheDataDir() {
        try (TestHub hub = TestHub.start(dir, HUB_TOML, null)) {
            assertTrue(Files.isRegularFile(hub.config().dataDir().resolve("memory.db")));
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"signing\u0000vault", "\u0000", "signing\u0000", "vault\u0001\u001f\u007f", "\u0000\"\u0000"})
    void controlCharactersInASearchQueryGiveACleanAnswer(String query) {
        try (TestHub hub = TestHub.start(dir, HUB_TOML, null)) {
            McpSyncClient claude = hub.client("claude-code");
            ok(call(claude, "memory_store", Map.of("content", "Release builds need the signing key from the vault.")));
            McpSchema.CallToolResult r = call(claude, "memory_search", Map.of("query", query));
            String text = text(r);
            assertFalse(text.contains("SQLITE") || text.contains("SQL error") || text.contains("fts5"), text);
            assertFalse(text.contains("\n"), text);
            if (query.contains("signing") || query.contains("vault")) {
                assertEquals(1, hits(ok(r)).size());
            } else {
                assertTrue(r.isError(), text);
            }
        }
    }

    @Test
    void controlCharactersRoundTripInContentAndAreRefusedInTitlesAndTags() {
        try (TestHub hub = TestHub.start(dir, HUB_TOML, null)) {
            McpSyncClient claude = hub.client("claude-code");
            McpSchema.CallToolResult stored = call(
                    claude,
                    "memory_store",
                    Map.of("content", "nul\u0000inside text", "title", "t\u0000itle", "tags", List.of("a\u0000b")));
            assertTrue(stored.isError());
            assertEquals("title contains a control character", text(stored));
            McpSchema.CallToolResult tagged =
                    call(claude, "memory_store", Map.of("content", "x", "tags", List.of("a\u0000b")));
            assertTrue(tagged.isError());
            assertTrue(text(tagged).startsWith("tag 'a\\0b' must be"), text(tagged));
            McpSchema.CallToolResult plain = call(claude, "memory_store", Map.of("content", "nul\u0000inside text"));
            String id = (String) ok(plain).get("id");
            McpSchema.CallToolResult back = call(claude, "memory_retrieve", Map.of("id", id));
            assertEquals("nul\u0000inside text", ok(back).get("content"));
            assertEquals(
                    1,
                    hits(ok(call(claude, "memory_search", Map.of("query", "inside"))))
                            .size());
            McpSchema.CallToolResult list = call(claude, "memory_list", Map.of("tags", List.of("\u0000")));
            assertFalse(text(list).contains("SQL"), text(list));
            McpSchema.CallToolResult del = call(claude, "memory_delete", Map.of("id", "x\u0000y"));
            assertTrue(del.isError());
            assertFalse(text(del).contains("\u0000"), text(del));
        }
    }
}
