package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code tandem serve} process with more long calls in flight than it has cores (pathological regexes,
 * FIFO reads, long tasks): {@code /health} and another session keep answering, and SIGTERM stops it within seconds.
 */
class HubUnderLoadTest {
    static final int PER_KIND = Runtime.getRuntime().availableProcessors() + 1;

    @TempDir
    Path home;

    @Test
    void healthAndOtherSessionsAnswerAndSigtermStopsTheHubWhileManyCallsAreInFlight() throws Exception {
        Path work = Files.createDirectories(home.resolve("work"));
        StringBuilder evil = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            evil.append("a".repeat(29)).append("b\n");
        }
        Files.writeString(work.resolve("evil.txt"), evil.toString());
        assertEquals(
                0,
                new ProcessBuilder("mkfifo", work.resolve("pipe").toString())
                        .start()
                        .waitFor());
        Path config = home.resolve("hub.toml");
        Files.writeString(config, """
                [fs]
                roots = ["work"]
                [tasks]
                max_concurrent = 16
                [tasks.sleep]
                argv = ["sleep", "300"]
                timeout = 600
                """);
        try (ChildHub child = ChildHub.serve(home, config, work)) {
            int port = child.port();
            String token = Files.readString(home.resolve(".tandem/token")).strip();
            McpSyncClient agent = ChildHub.client(port, token, "claude-code", Duration.ofMinutes(10));
            McpSyncClient other = ChildHub.client(port, token, "codex-mcp-client", Duration.ofMinutes(10));
            ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
            try {
                List<Future<?>> calls = new ArrayList<>();
                for (int i = 0; i < PER_KIND; i++) {
                    calls.add(
                            pool.submit(() -> call(agent, "fs_search", Map.of("query", "(.*a){12}$", "regex", true))));
                    calls.add(pool.submit(() -> call(
                            agent, "fs_search", Map.of("path", "evil.txt", "query", "(.*a){12}$", "regex", true))));
                    calls.add(pool.submit(() -> call(agent, "fs_read", Map.of("path", "pipe"))));
                    calls.add(pool.submit(() -> call(agent, "task_run", Map.of("name", "sleep"))));
                }
                Thread.sleep(2000);
                assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                    for (int i = 0; i < 5; i++) {
                        assertEquals(200, ChildHub.health(port));
                        McpSchema.CallToolResult info = call(other, "hub_info", Map.of());
                        assertFalse(info.isError());
                    }
                });
                child.process.destroy(); // SIGTERM
                assertEquals(143, child.waitFor(15), child::stderr);
                calls.forEach(f -> f.cancel(true));
            } finally {
                child.process.destroyForcibly(); // a hub that did not stop is killed, so no call waits on it
                pool.shutdownNow();
            }
        }
    }

    private static McpSchema.CallToolResult call(McpSyncClient c, String tool, Map<String, Object> args) {
        return c.callTool(
                McpSchema.CallToolRequest.builder(tool).arguments(args).build());
    }
}
