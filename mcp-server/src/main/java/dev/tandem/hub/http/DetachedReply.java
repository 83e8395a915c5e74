package dev.tandem.hub.http;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Objects;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * The answer to a request that runs with nobody waiting on an HTTP response (a tool call taken over by an
 * extension, such as a task): the final response is kept for whoever asks later, notifications are dropped, and a
 * request to the client fails at once.
 */
final class DetachedReply implements ReplyTransport {
    private final Object requestId;
    private final McpJsonMapper json;
    private volatile McpSchema.JSONRPCResponse response;

    DetachedReply(Object requestId, McpJsonMapper json) {
        this.requestId = requestId;
        this.json = json;
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        return sendMessage(message, null);
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message, String messageId) {
        return switch (message) {
            case McpSchema.JSONRPCResponse r
            when Objects.equals(r.id(), requestId) ->
                Mono.fromRunnable(() -> {
                    if (response == null) {
                        response = r;
                    }
                });
            case McpSchema.JSONRPCRequest r ->
                Mono.error(McpError.builder(McpSchema.ErrorCodes.INTERNAL_ERROR)
                        .message("cannot send " + r.method() + " to a client that is not waiting for an answer")
                        .build());
            default -> Mono.empty();
        };
    }

    @Override
    public Optional<McpSchema.JSONRPCResponse> response() {
        return Optional.ofNullable(response);
    }

    @Override
    public void answerIfUnanswered(McpSchema.JSONRPCResponse error) {
        if (response == null) {
            response = error;
        }
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return json.convertValue(data, typeRef);
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.empty();
    }

    @Override
    public void close() {
        // nothing is open
    }
}
