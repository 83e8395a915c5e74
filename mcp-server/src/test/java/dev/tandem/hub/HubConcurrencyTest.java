package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubConcurrencyTest {
    static final int SESSIONS = 50;
    static final int CALLS = 100;

    @TempDir
    Path dir;

    @Test
    void fiftyConcurrentSessionsTimesAHundredCallsAllSucceed() throws Exception {
        try (TestHub hub = TestHub.start(dir, List.of());
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            AtomicInteger ok = new AtomicInteger();
            List<Future<?>> runs = new ArrayList<>();
            for (int s = 0; s < SESSIONS; s++) {
                String name = "client-" + s;
                runs.add(pool.submit(() -> {
                    McpSyncClient client = hub.client(name);
                    for (int i = 0; i < CALLS; i++) {
                        McpSchema.CallToolResult r = client.callTool(McpSchema.CallToolRequest.builder("hub_info")
                                .arguments(Map.of())
                                .build());
                        @SuppressWarnings("unchecked")
                        Map<String, Object> caller =
                                (Map<String, Object>) ((Map<String, Object>) r.structuredContent()).get("caller");
                        if (!Boolean.TRUE.equals(r.isError()) && name.equals(caller.get("clientName"))) {
                            ok.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : runs) {
                f.get();
            }
            assertEquals(SESSIONS * CALLS, ok.get());
            assertEquals(SESSIONS, hub.hub().server().transport().sessionCount());
        }
    }
}
