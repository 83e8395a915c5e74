package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.hub.http.TransportContexts;
import dev.tandem.hub.mcp.Capability;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One credential cannot hold unbounded sessions ({@code [hub] max_sessions_per_credential}), and a session keeps only
 * a bounded part of what {@code initialize} sent.
 */
class SessionFloodTest {
    @TempDir
    Path dir;

    /** A tool that answers with the client name the SDK session and the transport context keep. */
    static final class ClientInfoCapability implements Capability {
        @Override
        public String name() {
            return "client-info";
        }

        @Override
        public List<McpServerFeatures.SyncToolSpecification> tools() {
            var tool = McpSchema.Tool.builder("client_info", McpJsonDefaults.getMapper(), "{\"type\":\"object\"}")
                    .build();
            return List.of(McpServerFeatures.SyncToolSpecification.builder()
                    .tool(tool)
                    .callHandler((exchange, req) -> McpSchema.CallToolResult.builder()
                            .addTextContent("kept "
                                    + exchange.getClientInfo().name().length() + " and "
                                    + TransportContexts.get(exchange.transportContext(), TransportContexts.CLIENT_NAME)
                                            .length())
                            .build())
                    .build());
        }
    }

    @Test
    void initializeWithMegabytesOfClientInfoIsRefusedNamingTheLimit() {
        try (TestHub hub = TestHub.start(dir, List.of())) {
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            long before = usedAfterGc(memory);
            String big = "x".repeat(1900 * 1024);
            String body = initialize("{\"name\":\"" + big + "\",\"version\":\"" + big + "b\"}");
            int opened = 0;
            RawHttp.Response last = null;
            for (int i = 0; i < 40; i++) {
                last = RawHttp.send(hub.port(), "POST", "/mcp", McpHttp.headers(hub.token()), body);
                if (last.status() == 200) {
                    opened++;
                }
            }
            long grown = usedAfterGc(memory) - before;
            assertTrue(
                    grown < 32L * 1024 * 1024,
                    opened + " sessions pinned " + grown / (1024 * 1024) + " MiB of heap after a full collection");
            assertEquals(400, last.status(), last.body());
            assertTrue(last.body().contains("\"code\":-32602"), last.body());
            assertTrue(last.body().contains("over the limit of 65536 bytes"), last.body());
            assertEquals(0, hub.hub().server().transport().sessionCount());
        }
    }

    @Test
    void aSessionKeepsOnlyTheFirst256CharactersOfTheClientName() {
        try (TestHub hub = TestHub.start(dir, List.of(new ClientInfoCapability()))) {
            String name = "n".repeat(20_000);
            RawHttp.Response init = RawHttp.send(
                    hub.port(),
                    "POST",
                    "/mcp",
                    McpHttp.headers(hub.token()),
                    initialize("{\"name\":\"" + name + "\",\"version\":\"1\"}"));
            assertEquals(200, init.status(), init.body());
            String session = init.header("mcp-session-id").orElseThrow();
            RawHttp.Response r = RawHttp.send(
                    hub.port(), "POST", "/mcp", McpHttp.headers(hub.token(), session), McpHttp.call(2, "client_info"));
            assertTrue(r.body().contains("kept 256 and 256"), r.body());
        }
    }

    @Test
    void oneCredentialCannotOpenUnboundedSessions() {
        try (TestHub hub = TestHub.start(dir, List.of())) {
            int accepted = 0;
            for (int i = 0; i < 200; i++) {
                RawHttp.Response r = RawHttp.send(
                        hub.port(), "POST", "/mcp", McpHttp.headers(hub.token()), McpHttp.initialize("2025-06-18"));
                if (r.status() == 200) {
                    accepted++;
                }
            }
            assertEquals(200, accepted, "a new session is never refused: the least recently used one makes room");
            assertEquals(64, hub.hub().server().transport().sessionCount());
        }
    }

    @Test
    void theLeastRecentlyUsedSessionIsClosedAndItsClientGets404() throws Exception {
        try (TestHub hub = TestHub.start(dir, "[hub]\nmax_sessions_per_credential = 2\n", List.of())) {
            String a = McpHttp.openSession(hub);
            String b = McpHttp.openSession(hub);
            Thread.sleep(5);
            assertEquals(200, ping(hub, a).status());
            String c = McpHttp.openSession(hub);
            RawHttp.Response gone = ping(hub, b);
            assertEquals(404, gone.status(), gone.body());
            assertTrue(gone.body().contains("Session not found: start a new one with initialize"), gone.body());
            assertEquals(200, ping(hub, a).status());
            assertEquals(200, ping(hub, c).status());
        }
    }

    @Test
    void theCapCountsEachCredentialApart() {
        try (TestHub hub = TestHub.start(dir, "[hub]\nmax_sessions_per_credential = 1\n", List.of())) {
            String person = McpHttp.openSession(hub);
            RawHttp.Response codex = RawHttp.send(
                    hub.port(), "POST", "/mcp", McpHttp.headers(hub.token("codex")), McpHttp.initialize("2025-06-18"));
            assertEquals(200, codex.status(), codex.body());
            assertEquals(200, ping(hub, person).status());
            assertEquals(2, hub.hub().server().transport().sessionCount());
        }
    }

    private static RawHttp.Response ping(TestHub hub, String session) {
        return RawHttp.send(
                hub.port(),
                "POST",
                "/mcp",
                McpHttp.headers(hub.token(), session),
                "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"ping\"}");
    }

    private static String initialize(String clientInfo) {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":" + clientInfo + "}}";
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
