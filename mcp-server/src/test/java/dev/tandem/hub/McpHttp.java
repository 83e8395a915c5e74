package dev.tandem.hub;

import java.util.HashMap;
import java.util.Map;

/** Builds raw MCP requests for transport tests. */
final class McpHttp {
    static final String ACCEPT_BOTH = "application/json, text/event-stream";

    private McpHttp() {}

    static String initialize(String protocolVersion) {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\""
                + protocolVersion
                + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw-test\",\"version\":\"0.1\"}}}";
    }

    static String call(int id, String tool) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
                + "\",\"arguments\":{}}}";
    }

    static Map<String, String> headers(String token) {
        Map<String, String> h = new HashMap<>();
        h.put("Authorization", "Bearer " + token);
        h.put("Content-Type", "application/json");
        h.put("Accept", ACCEPT_BOTH);
        return h;
    }

    static Map<String, String> headers(String token, String sessionId) {
        Map<String, String> h = headers(token);
        h.put("Mcp-Session-Id", sessionId);
        return h;
    }

    /** Initializes a session on protocol 2025-06-18 and returns its id. */
    static String openSession(TestHub hub) {
        return openSession(hub, "2025-06-18");
    }

    /**
     * Initializes a session on {@code protocolVersion} and returns its id; JSON-RPC batches need 2025-03-26, the only
     * revision offered that has them.
     */
    static String openSession(TestHub hub, String protocolVersion) {
        RawHttp.Response r =
                RawHttp.send(hub.port(), "POST", "/mcp", headers(hub.token()), initialize(protocolVersion));
        if (r.status() != 200) {
            throw new AssertionError("initialize failed: " + r);
        }
        String id = r.header("mcp-session-id").orElseThrow();
        RawHttp.send(
                hub.port(),
                "POST",
                "/mcp",
                headers(hub.token(), id),
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        return id;
    }

    static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> h = new HashMap<>(base);
        if (value == null) {
            h.remove(key);
        } else {
            h.put(key, value);
        }
        return h;
    }
}
