package dev.tandem.hub.http;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Mono;

/**
 * The answer to one request of protocol 2026-07-28, served by a session-less run of the hub's handlers: the
 * final response is reshaped for the revision ({@code resultType}, cache hints, error codes) before it goes out,
 * progress notifications go on the request's own stream, and everything else the handler might send is held
 * back — log messages (nobody asked for them), list changes (they belong on {@code subscriptions/listen}) and
 * requests to the client (the revision has no server-initiated requests).
 */
final class StatelessReply implements ReplyTransport {
    private final PostReply out;
    private final Object requestId;
    private final UnaryOperator<McpSchema.JSONRPCResponse> shape;

    StatelessReply(PostReply out, Object requestId, UnaryOperator<McpSchema.JSONRPCResponse> shape) {
        this.out = out;
        this.requestId = requestId;
        this.shape = shape;
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        return sendMessage(message, null);
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message, String messageId) {
        return switch (message) {
            case McpSchema.JSONRPCResponse r
            when Objects.equals(r.id(), requestId) -> out.sendMessage(shape.apply(r), messageId);
            case McpSchema.JSONRPCNotification n
            when McpSchema.METHOD_NOTIFICATION_PROGRESS.equals(n.method()) -> out.sendMessage(n, messageId);
            case McpSchema.JSONRPCRequest r ->
                Mono.error(McpError.builder(McpSchema.ErrorCodes.INTERNAL_ERROR)
                        .message("cannot send " + r.method() + " to a client on protocol " + StatelessRequests.VERSION)
                        .build());
            default -> Mono.empty();
        };
    }

    void finish() {
        out.finish();
    }

    @Override
    public Optional<McpSchema.JSONRPCResponse> response() {
        return out.response();
    }

    @Override
    public void answerIfUnanswered(McpSchema.JSONRPCResponse error) {
        out.answerIfUnanswered(shape.apply(error));
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return out.unmarshalFrom(data, typeRef);
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.empty();
    }

    @Override
    public void close() {
        // the POST's response ends in finish(), after the final answer
    }
}
