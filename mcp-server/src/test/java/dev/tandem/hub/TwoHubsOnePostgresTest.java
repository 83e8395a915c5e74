package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.store.PostgresLocation;
import dev.tandem.core.store.PostgresServer;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hubs on one real PostgreSQL database, configured as two hosts ({@code laptop}, {@code desktop}), each on port
 * 0: host-scoped memories stay on their host, shared ones reach both, and writers on both lose nothing.
 */
class TwoHubsOnePostgresTest {
    @TempDir
    Path dir;

    private String hubToml(PostgresLocation db, String host) throws Exception {
        Path secret = dir.resolve("pgpass");
        Files.writeString(secret, PostgresServer.get().password() + "\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        return """
                [store]
                url = "%s"
                password_file = "%s"
                [memory]
                host = "%s"
                """.formatted(db.url(), secret, host);
    }

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
    private static List<Object> contents(Map<String, Object> out, String key) {
        return ((List<Map<String, Object>>) out.get(key))
                .stream().map(h -> h.get("summary")).toList();
    }

    @Test
    void hostMemoriesStayOnTheirHostSharedOnesReachBothAndConcurrentWritersLoseNothing() throws Exception {
        PostgresLocation db = PostgresServer.get().newDatabase("twohubs");
        try (TestHub laptop = TestHub.start(dir.resolve("laptop"), hubToml(db, "laptop"), null);
                TestHub desktop = TestHub.start(dir.resolve("desktop"), hubToml(db, "desktop"), null)) {
            McpSyncClient laptopClaude = laptop.clientOn("claude", "claude-code");
            McpSyncClient laptopCodex = laptop.clientOn("codex", "codex-mcp-client");
            McpSyncClient desktopCodex = desktop.clientOn("codex", "codex-mcp-client");
            ok(call(laptopClaude, "memory_store", Map.of("content", "zebra vpn quirk of the laptop", "scope", "host")));
            ok(call(laptopClaude, "memory_store", Map.of("content", "zebra release rule", "scope", "shared")));

            assertEquals(
                    2,
                    contents(ok(call(laptopCodex, "memory_search", Map.of("query", "zebra"))), "hits")
                            .size());
            List<Object> onDesktop =
                    contents(ok(call(desktopCodex, "memory_search", Map.of("query", "zebra"))), "hits");
            assertEquals(List.of("zebra release rule"), onDesktop);

            int each = 15;
            List<Future<?>> done = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
                for (McpSyncClient c : List.of(laptopCodex, desktopCodex)) {
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < each; i++) {
                            ok(call(c, "memory_store", Map.of("content", "yak note " + i, "scope", "shared")));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            }
            Map<String, Object> all = ok(call(desktopCodex, "memory_list", Map.of("limit", 100)));
            long yaks = contents(all, "items").stream()
                    .filter(s -> s.toString().startsWith("yak note"))
                    .count();
            assertEquals(2L * each, yaks);
            assertTrue(((Map<?, ?>) ok(call(desktopCodex, "hub_info", Map.of())).get("caller"))
                    .get("host")
                    .equals("desktop"));
        }
    }
}
