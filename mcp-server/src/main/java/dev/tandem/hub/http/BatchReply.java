package dev.tandem.hub.http;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Mono;

/**
 * Collects the response to one request of a JSON-RPC batch. Notifications the handler sends meanwhile are
 * dropped, and a request to the client (sampling, elicitation) fails at once: a batch reply is one JSON array.
 */
final class BatchReply implements ReplyTransport {
    private final Object requestId;
    private final McpJsonMapper json;
    private final AtomicReference<String> answer = new AtomicReference<>();
    private final AtomicReference<McpSchema.JSONRPCResponse> response = new AtomicReference<>();

    BatchReply(Object requestId, McpJsonMapper json) {
        this.requestId = requestId;
        this.json = json;
    }

    Optional<String> answer() {
        return Optional.ofNullable(answer.get());
    }

    @Override
    public Optional<McpSchema.JSONRPCResponse> response() {
        return Optional.ofNullable(response.get());
    }

    @Override
    public void answerIfUnanswered(McpSchema.JSONRPCResponse error) {
        sendMessage(error).block();
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        return sendMessage(message, null);
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message, String messageId) {
        return Mono.fromRunnable(() -> {
            if (message instanceof McpSchema.JSONRPCResponse r && Objects.equals(r.id(), requestId)) {
                response.compareAndSet(null, r);
                try {
                    answer.compareAndSet(null, json.writeValueAsString(r));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else if (message instanceof McpSchema.JSONRPCRequest request) {
                throw McpError.builder(McpSchema.ErrorCodes.INTERNAL_ERROR)
                        .message("cannot send " + request.method() + " to the client during a JSON-RPC batch")
                        .build();
            }
        });
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
    public void close() {}
}
