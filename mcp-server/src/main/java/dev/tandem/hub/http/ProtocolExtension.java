package dev.tandem.hub.http;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * An extension of MCP protocol 2026-07-28 answered by the hub on {@code /mcp}: its own methods, and optionally
 * {@code resources/read} for the URIs it owns. Declared in {@code server/discover} under {@code
 * capabilities.extensions}.
 */
public interface ProtocolExtension {
    /** The extension's identifier, such as {@code io.modelcontextprotocol/skills}. */
    String id();

    /** The extension's settings as declared in {@code server/discover}; empty for none. */
    Map<String, Object> settings();

    /** The methods the extension answers. */
    Set<String> methods();

    /** Whether {@code resources/read} of {@code uri} is the extension's to answer. */
    boolean reads(String uri);

    /**
     * Answers {@code method} (one of {@link #methods()}, or {@code resources/read} of a URI it {@link #reads}).
     *
     * @return the result's fields; {@code resultType}, cache fields and the server's identity are added for it
     * @throws Refusal for a request the extension cannot answer, with its JSON-RPC error code
     */
    Map<String, Object> answer(String method, JsonNode params);

    /**
     * Answers {@code method} for the caller described by {@code caller} (the transport context a tool handler
     * would see); by default the caller does not matter.
     */
    default Map<String, Object> answer(String method, JsonNode params, McpTransportContext caller) {
        return answer(method, params);
    }

    /**
     * Whether the extension takes over {@code tools/call} of {@code tool} for a request that declares the
     * extension in {@code clientCapabilities.extensions}.
     */
    default boolean takesToolCall(String tool) {
        return false;
    }

    /**
     * Takes over a {@code tools/call} ({@link #takesToolCall}): {@code call} runs it through the hub's handlers to
     * its end, on the thread that calls it (interrupting that thread cancels the call).
     *
     * @return the fields of the answer sent now, with its own {@code resultType}
     */
    default Map<String, Object> takeToolCall(String tool, McpTransportContext caller, ToolCall call) {
        throw new Refusal(McpSchema.ErrorCodes.METHOD_NOT_FOUND, id() + " takes no tool calls", null);
    }

    /** A {@code tools/call} the hub's handlers answer when it is run. */
    @FunctionalInterface
    interface ToolCall {
        /** Runs the call to its end and returns its JSON-RPC response (a result or an error). */
        McpSchema.JSONRPCResponse run();
    }

    /** A JSON-RPC error of an extension's method: code, one-line message, optional data. */
    final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int code;
        private final transient Object data;

        public Refusal(int code, String message, Object data) {
            super(message);
            this.code = code;
            this.data = data;
        }

        public int code() {
            return code;
        }

        public Object data() {
            return data;
        }
    }
}
