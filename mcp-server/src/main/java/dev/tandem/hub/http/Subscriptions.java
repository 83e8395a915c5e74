package dev.tandem.hub.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * {@code subscriptions/listen} of protocol 2026-07-28: a long-lived SSE answer on which the hub sends the list
 * changes a client asked for, each tagged with the subscription's id (the listen request's JSON-RPC id). The
 * first event acknowledges the filter the hub honours; resource subscriptions are not offered and are left out
 * of it. When the hub shuts down, each stream gets the listen request's final result and ends.
 *
 * <p>Spec: https://modelcontextprotocol.io/specification/2026-07-28/basic/patterns/subscriptions
 */
final class Subscriptions {
    static final String METHOD = "subscriptions/listen";
    static final String META_SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId";

    /** Filter field → the notification it asks for. */
    private static final Map<String, String> FILTERS = Map.of(
            "toolsListChanged", McpSchema.METHOD_NOTIFICATION_TOOLS_LIST_CHANGED,
            "promptsListChanged", McpSchema.METHOD_NOTIFICATION_PROMPTS_LIST_CHANGED,
            "resourcesListChanged", McpSchema.METHOD_NOTIFICATION_RESOURCES_LIST_CHANGED);

    private record Subscription(Object id, ListeningStream stream, Set<String> methods) {}

    private final McpJsonMapper json;
    private final Set<Subscription> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    Subscriptions(McpJsonMapper json) {
        this.json = json;
    }

    /** Serves one listen request until the client closes the stream or the hub shuts down. */
    void listen(ServerResponse res, Object id, JsonNode params) {
        JsonNode filter = params.get("notifications");
        Map<String, Object> honoured = new LinkedHashMap<>();
        Set<String> methods = ConcurrentHashMap.newKeySet();
        if (filter != null && filter.isObject()) {
            FILTERS.forEach((field, method) -> {
                JsonNode wanted = filter.get(field);
                if (wanted != null && wanted.isBoolean() && wanted.asBoolean()) {
                    honoured.put(field, true);
                    methods.add(method);
                }
            });
        }
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, HttpReplies.TEXT_EVENT_STREAM);
        res.header(HeaderNames.CACHE_CONTROL, "no-cache, no-transform");
        res.header(HeaderNames.create("X-Accel-Buffering"), "no");
        ListeningStream stream = new ListeningStream(new SseWriter(res.outputStream()), json);
        Subscription s = new Subscription(id, stream, methods);
        Map<String, Object> ack = new LinkedHashMap<>();
        ack.put("_meta", Map.of(META_SUBSCRIPTION_ID, id));
        ack.put("notifications", honoured);
        stream.sendMessage(new McpSchema.JSONRPCNotification(
                        McpSchema.JSONRPC_VERSION, "notifications/subscriptions/acknowledged", ack))
                .block();
        open.add(s);
        if (closing) {
            end(s);
        }
        try {
            stream.awaitClose();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(s);
            stream.close();
        }
    }

    /** Sends {@code method} to every subscription that asked for it. */
    void broadcast(String method) {
        for (Subscription s : open) {
            if (s.methods().contains(method)) {
                s.stream()
                        .sendMessage(new McpSchema.JSONRPCNotification(
                                McpSchema.JSONRPC_VERSION,
                                method,
                                Map.of("_meta", Map.of(META_SUBSCRIPTION_ID, s.id()))))
                        .block();
            }
        }
    }

    void keepAlive() {
        open.forEach(s -> s.stream().keepAlive());
    }

    int count() {
        return open.size();
    }

    /** Ends every subscription with the listen request's result, as the hub shuts down. */
    void closeAll() {
        closing = true;
        open.forEach(this::end);
    }

    private void end(Subscription s) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("resultType", "complete");
        result.put("_meta", Map.of(META_SUBSCRIPTION_ID, s.id()));
        try {
            s.stream()
                    .sendMessage(McpSchema.JSONRPCResponse.result(s.id(), result))
                    .block();
        } finally {
            s.stream().close();
        }
    }
}
