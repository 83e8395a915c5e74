package dev.tandem.hub.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.hub.TestHub;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every tool call has a deadline: a call stuck for real (blocked in open(2) on a FIFO with no writer, spinning in a
 * regular expression) is answered with {@code isError} when its deadline passes, and while any number of such calls
 * are stuck, {@code /health} and other sessions keep answering.
 */
class ToolDeadlineTest {
    /** More stuck calls than the machine has cores, so a design that burns a carrier thread per call starves. */
    static final int STUCK = Runtime.getRuntime().availableProcessors() * 2 + 2;

    @TempDir
    Path dir;

    TestHub hub;
    Path fifo;
    final CountDownLatch entered = new CountDownLatch(STUCK);

    @AfterEach
    void stop() throws Exception {
        if (fifo != null) {
            // let whatever is still blocked in open(2) go, so no thread outlives the test
            for (int i = 0; i < STUCK; i++) {
                new ProcessBuilder("timeout", "1", "sh", "-c", "exec 3>\"$1\"", "sh", fifo.toString())
                        .start()
                        .waitFor(5, TimeUnit.SECONDS);
            }
        }
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void callsStuckInABlockingOpenAreAnsweredAtTheirDeadlineWhileTheHubKeepsAnswering() throws Exception {
        fifo = Path.of(dir.toString(), "pipe");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        hub = TestHub.start(dir, "[hub]\ntool_timeout_seconds = 2\n", List.of(new Stuck(fifo, entered)));
        McpSyncClient agent = hub.client("claude-code");
        McpSyncClient other = hub.client("codex-mcp-client");
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<Future<McpSchema.CallToolResult>> calls = new ArrayList<>();
            for (int i = 0; i < STUCK; i++) {
                calls.add(pool.submit(() -> agent.callTool(McpSchema.CallToolRequest.builder("stuck")
                        .arguments(Map.of())
                        .build())));
            }
            assertTrue(entered.await(30, TimeUnit.SECONDS), "every call reached its blocking open");
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                assertEquals(200, health());
                McpSchema.CallToolResult info = other.callTool(McpSchema.CallToolRequest.builder("hub_info")
                        .arguments(Map.of())
                        .build());
                assertFalse(info.isError());
            });
            for (Future<McpSchema.CallToolResult> f : calls) {
                McpSchema.CallToolResult r = f.get(60, TimeUnit.SECONDS);
                assertTrue(r.isError(), () -> "a stuck call came back without error: " + r);
                String text = ((McpSchema.TextContent) r.content().get(0)).text();
                assertEquals("stuck: no answer within 2 s ([hub] tool_timeout_seconds); the call was abandoned", text);
            }
            assertEquals(200, health());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void modelFixableFailuresOfEveryCapabilityAreOneLineErrors() throws Exception {
        hub = TestHub.start(dir);
        McpSyncClient c = hub.client("claude-code");
        for (var call : List.of(
                Map.entry("fs_read", Map.<String, Object>of("path", "nope.txt")),
                Map.entry("fs_read", Map.<String, Object>of("path", 42)),
                Map.entry("memory_retrieve", Map.<String, Object>of("id", "no-such-memory")),
                Map.entry("portfolio_read", Map.<String, Object>of("name", "missing")),
                Map.entry("git_status", Map.<String, Object>of("dir", "/")),
                Map.entry("task_run", Map.<String, Object>of("name", "none")))) {
            McpSchema.CallToolResult r = c.callTool(McpSchema.CallToolRequest.builder(call.getKey())
                    .arguments(call.getValue())
                    .build());
            assertTrue(r.isError(), call::toString);
            String text = ((McpSchema.TextContent) r.content().get(0)).text();
            assertFalse(text.isBlank() || text.contains("\n"), text);
        }
    }

    private int health() throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpRequest req = HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/health"))
                    .timeout(Duration.ofSeconds(10))
                    .build();
            return http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode();
        }
    }

    /** A capability whose one tool opens a FIFO nobody writes to: a real, uninterruptible blocking call. */
    record Stuck(Path fifo, CountDownLatch entered) implements Capability {
        @Override
        public String name() {
            return "stuck";
        }

        @Override
        public List<McpServerFeatures.SyncToolSpecification> tools() {
            return List.of(ToolSpecs.declare(
                    "stuck",
                    "Stuck",
                    "Blocks in open(2)",
                    ToolSpecs.NO_ARGUMENTS,
                    "{\"type\":\"object\"}",
                    ToolSpecs.READ_ONLY,
                    (exchange, request) -> {
                        entered.countDown();
                        try (FileInputStream in = new FileInputStream(fifo.toFile())) {
                            return ToolResults.structured(Map.of("read", in.read()));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }));
        }
    }
}
