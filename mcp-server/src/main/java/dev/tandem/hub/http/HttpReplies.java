package dev.tandem.hub.http;

import dev.tandem.core.json.Json;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Writes the hub's plain HTTP answers: JSON bodies and JSON-RPC error envelopes. */
final class HttpReplies {
    static final String APPLICATION_JSON = "application/json";
    static final String TEXT_EVENT_STREAM = "text/event-stream";
    private static final JsonMapper JSON = Json.mapper();

    private HttpReplies() {}

    static void json(ServerResponse res, Status status, String body) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, APPLICATION_JSON);
        res.send(body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends a JSON-RPC error object. {@code id} may be null: JSON-RPC 2.0 requires {@code "id": null} when the
     * request's id could not be read, which the SDK's {@code JSONRPCResponse} refuses, so it is built here.
     */
    static void rpcError(ServerResponse res, Status status, Object id, int code, String message) {
        json(res, status, rpcErrorBody(id, code, message));
    }

    /** Sends a JSON-RPC error object whose {@code error.data} is {@code data}. */
    static void rpcError(ServerResponse res, Status status, Object id, int code, String message, JsonNode data) {
        ObjectNode root = (ObjectNode) JSON.readTree(rpcErrorBody(id, code, message));
        ((ObjectNode) root.get("error")).set("data", data);
        json(res, status, JSON.writeValueAsString(root));
    }

    static String rpcErrorBody(Object id, int code, String message) {
        ObjectNode root = JSON.createObjectNode();
        root.put("jsonrpc", "2.0");
        if (id == null) {
            root.putNull("id");
        } else if (id instanceof Number n) {
            root.put("id", n.longValue());
        } else {
            root.put("id", id.toString());
        }
        ObjectNode error = root.putObject("error");
        error.put("code", code);
        error.put("message", message);
        return JSON.writeValueAsString(root);
    }
}
