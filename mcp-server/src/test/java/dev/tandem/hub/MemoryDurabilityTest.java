package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every store the hub acknowledged is still there after the hub is killed with SIGKILL mid-write. */
class MemoryDurabilityTest {
    private static final int WRITERS = 16;
    private static final int KILL_AFTER_ACKS = 120;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedStoreSurvivesKillDashNine() throws Exception {
        Set<String> acked = ConcurrentHashMap.newKeySet();
        Process hub = startHub();
        try (ExecutorService pool = Executors.newFixedThreadPool(WRITERS)) {
            int port = awaitReady(hub);
            CountDownLatch enough = new CountDownLatch(KILL_AFTER_ACKS);
            List<McpSyncClient> clients = List.of(client(port), client(port));
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                McpSyncClient client = clients.get(w % clients.size());
                int writer = w;
                writers.add(pool.submit(() -> storeUntilTheHubDies(client, writer, acked, enough)));
            }
            enough.await();
            hub.destroyForcibly().waitFor();
            for (Future<?> f : writers) {
                f.get();
            }
        } finally {
            hub.destroyForcibly().waitFor();
        }
        assertTrue(acked.size() >= KILL_AFTER_ACKS, "acknowledged " + acked.size());
        Process again = startHub();
        try {
            McpSyncClient client = client(awaitReady(again));
            Set<String> present = listAll(client);
            Set<String> lost = new HashSet<>(acked);
            lost.removeAll(present);
            assertEquals(Set.of(), lost, "acknowledged but lost");
            McpSchema.CallToolResult search = client.callTool(McpSchema.CallToolRequest.builder("memory_search")
                    .arguments(Map.of("query", "durable", "limit", 1))
                    .build());
            assertEquals(1, ((Map<?, ?>) search.structuredContent()).get("count"));
            client.closeGracefully();
        } finally {
            again.destroyForcibly().waitFor();
        }
    }

    /** Returns every id memory_list shows, page by page. */
    private static Set<String> listAll(McpSyncClient client) {
        Set<String> ids = new HashSet<>();
        Object offset = 0;
        while (offset != null) {
            McpSchema.CallToolResult page = client.callTool(McpSchema.CallToolRequest.builder("memory_list")
                    .arguments(Map.of("offset", offset, "limit", 100))
                    .build());
            Map<?, ?> out = (Map<?, ?>) page.structuredContent();
            ((List<?>) out.get("items")).forEach(item -> ids.add((String) ((Map<?, ?>) item).get("id")));
            offset = out.get("nextOffset");
        }
        return ids;
    }

    private static Void storeUntilTheHubDies(
            McpSyncClient client, int writer, Set<String> acked, CountDownLatch enough) {
        for (int i = 0; ; i++) {
            McpSchema.CallToolResult r;
            try {
                r = client.callTool(McpSchema.CallToolRequest.builder("memory_store")
                        .arguments(Map.of("content", "durable note " + i + " from writer " + writer, "scope", "shared"))
                        .build());
            } catch (RuntimeException e) {
                return null; // the hub is gone: this store was never acknowledged
            }
            assertFalse(r.isError());
            acked.add((String) ((Map<?, ?>) r.structuredContent()).get("id"));
            enough.countDown();
        }
    }

    private Process startHub() throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder pb = new ProcessBuilder(
                        java,
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        MemoryHubProcess.class.getName(),
                        dir.toString())
                .redirectError(dir.resolve("hub-stderr.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        return pb.start();
    }

    private static int awaitReady(Process hub) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(hub.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertNotNull(line, "the hub process exited before it was ready");
        assertTrue(line.startsWith("ready "), line);
        return Integer.parseInt(line.substring("ready ".length()).strip());
    }

    private McpSyncClient client(int port) throws IOException {
        String token = Files.readString(dir.resolve("home/.tandem/token"), StandardCharsets.US_ASCII)
                .strip();
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(
                        "http://127.0.0.1:" + port)
                .endpoint("/mcp")
                .addHttpRequestCustomizer((b, method, uri, body, ctx) -> b.header("Authorization", "Bearer " + token))
                .build();
        McpSyncClient client = McpClient.sync(transport)
                .clientInfo(
                        McpSchema.Implementation.builder("claude-code", "1.0.0").build())
                .requestTimeout(Duration.ofSeconds(5))
                .build();
        client.initialize();
        return client;
    }
}
