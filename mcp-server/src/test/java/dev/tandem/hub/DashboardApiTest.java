package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpSyncClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class DashboardApiTest {
    @TempDir
    Path dir;

    private TestHub hub;
    private DashboardHttp http;

    @BeforeEach
    void start() {
        hub = TestHub.start(dir, "[memory]\nhost = \"box\"\n", null);
        http = new DashboardHttp(hub);
    }

    @AfterEach
    void stop() {
        http.close();
        hub.close();
    }

    private JsonNode get(String path) {
        HttpResponse<String> r = http.getWithToken(path);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("content-type").orElseThrow().startsWith("application/json"));
        return DashboardHttp.json(r);
    }

    private static List<String> texts(JsonNode array, String field) {
        return StreamSupport.stream(array.spliterator(), false)
                .map(n -> n.path(field).asString())
                .toList();
    }

    @Test
    void memoriesListsEveryEnginesMemoriesNewestFirst() {
        McpSyncClient claude = hub.client("claude-code");
        McpSyncClient codex = hub.client("codex-mcp-client");
        MemoryToolsTest.call(claude, "memory_store", Map.of("content", "claude keeps this private", "title", "one"));
        MemoryToolsTest.call(codex, "memory_store", Map.of("content", "codex keeps this private", "title", "two"));

        JsonNode memories = get("/api/memories").path("memories");
        assertEquals(List.of("two", "one"), texts(memories, "title"));
        JsonNode first = memories.get(0);
        assertEquals("codex", first.path("engine").asString());
        assertEquals("box", first.path("host").asString());
        assertEquals("client", first.path("scope").asString());
        assertEquals(1, first.path("version").asInt());
        assertTrue(first.path("tags").isArray());
        assertFalse(first.path("updated").asString().isEmpty());
        assertEquals(1, get("/api/memories?limit=1").path("memories").size());
    }

    @Test
    void memoriesFilterByHostAndScope() {
        McpSyncClient claude = hub.client("claude-code");
        MemoryToolsTest.call(claude, "memory_store", Map.of("content", "on this box", "scope", "host"));
        MemoryToolsTest.call(claude, "memory_store", Map.of("content", "for everyone", "scope", "shared"));

        assertEquals(2, get("/api/memories?host=box").path("memories").size());
        assertEquals(0, get("/api/memories?host=desktop").path("memories").size());
        assertEquals(
                List.of("on this box"), texts(get("/api/memories?scope=host").path("memories"), "content"));
        assertEquals(
                List.of("for everyone"),
                texts(get("/api/memories?q=everyone&host=box").path("memories"), "content"));
        assertEquals(400, http.getWithToken("/api/memories?scope=galaxy").statusCode());
    }

    @Test
    void memoriesWithQSearchesTheFullTextIndex() {
        McpSyncClient claude = hub.client("claude-code");
        MemoryToolsTest.call(claude, "memory_store", Map.of("content", "deploys go through the blue pipeline"));
        MemoryToolsTest.call(claude, "memory_store", Map.of("content", "lunch is at noon"));

        JsonNode hits = get("/api/memories?q=pipeline").path("memories");
        assertEquals(List.of("deploys go through the blue pipeline"), texts(hits, "content"));
    }

    @Test
    void badQueryOrOutOfRangeParameterIs400() {
        HttpResponse<String> r = http.getWithToken("/api/memories?q=%22%28%29");
        assertEquals(400, r.statusCode(), r.body());
        assertFalse(DashboardHttp.json(r).path("error").asString().isEmpty());
        assertEquals(400, http.getWithToken("/api/overview?hours=0").statusCode());
        assertEquals(400, http.getWithToken("/api/overview?hours=721").statusCode());
        assertEquals(400, http.getWithToken("/api/overview?hours=abc").statusCode());
        assertEquals(400, http.getWithToken("/api/errors?limit=501").statusCode());
        assertEquals(200, http.getWithToken("/api/overview?hours=720").statusCode());
    }

    @Test
    void deletingAnUnknownMemoryIs404() {
        HttpResponse<String> r =
                http.send("DELETE", "/api/memories/nosuchid", Map.of("Authorization", "Bearer " + hub.token()));
        assertEquals(404, r.statusCode());
    }

    @Test
    void commandsCountsLogCommandUsesPerEngine() {
        McpSyncClient claude = hub.client("claude-code");
        MemoryToolsTest.ok(MemoryToolsTest.call(claude, "log_command", Map.of("slug", "recall")));
        MemoryToolsTest.ok(MemoryToolsTest.call(claude, "log_command", Map.of("slug", "recall")));

        JsonNode command = get("/api/commands").path("commands").get(0);
        assertEquals("recall", command.path("slug").asString());
        assertEquals("claude", command.path("engine").asString());
        assertEquals(2, command.path("uses").asInt());
        assertFalse(command.path("lastAt").asString().isEmpty());
    }

    @Test
    void portfolioListsTheDocuments() throws Exception {
        Files.writeString(hub.config().portfolioDir().resolve("about.md"), "# About me\n\nI write Java.\n");

        JsonNode doc = get("/api/portfolio").path("documents").get(0);
        assertEquals("about.md", doc.path("path").asString());
        assertEquals("About me", doc.path("title").asString());
        assertEquals(26, doc.path("bytes").asInt());
        assertFalse(doc.path("updatedAt").asString().isEmpty());
    }

    @Test
    void syncIsAbsentUntilCheckSyncLeavesItsRecord() throws Exception {
        assertEquals("{\"present\":false}", get("/api/sync").toString());
        // the record the sync tool writes (sync-tool CheckSyncTest checks the writing side)
        String record = "{\"at\":\"2026-11-21T10:00:00Z\",\"exitCode\":1,\"inSync\":false,\"home\":\"/home/p\","
                + "\"report\":{\"version\":1,\"status\":\"drift\",\"checked\":9,\"drift\":[{\"file\":\"/home/p/"
                + ".codex/config.toml\",\"item\":\"x\",\"expected\":\"1\",\"actual\":\"2\"}],\"warnings\":[]}}";
        Path file = Files.createDirectories(hub.config().stateDir()).resolve("check-sync.json");
        Files.writeString(file, record);

        JsonNode sync = get("/api/sync");
        assertTrue(sync.path("present").asBoolean());
        assertEquals(1, sync.path("exitCode").asInt());
        assertFalse(sync.path("inSync").asBoolean());
        assertEquals("2026-11-21T10:00:00Z", sync.path("at").asString());
        assertEquals(DashboardHttp.parse(record).path("report"), sync.path("report"));
    }
}
