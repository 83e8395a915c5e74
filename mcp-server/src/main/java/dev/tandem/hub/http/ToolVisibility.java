package dev.tandem.hub.http;

import dev.tandem.hub.auth.Credential;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiPredicate;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The per-engine tool profiles at the transport, on both revisions: {@code tools/list} leaves out what the engine
 * of the request's credential may not see, and a {@code tools/call} of such a tool is answered as for a tool that
 * does not exist (-32602), before any handler runs.
 */
final class ToolVisibility {
    private volatile BiPredicate<String, String> allows = (engine, tool) -> true;

    /** Sets the rule: whether an engine ({@code codex}, {@code claude}, {@code other}) may see a tool. */
    void rule(BiPredicate<String, String> rule) {
        this.allows = Objects.requireNonNull(rule);
    }

    /** Returns the answer to a {@code tools/call} of a tool hidden from {@code credential}, if it is one. */
    Optional<McpSchema.JSONRPCResponse> refusal(Credential credential, String method, JsonNode params, Object id) {
        if (!McpSchema.METHOD_TOOLS_CALL.equals(method) || params == null || !params.isObject()) {
            return Optional.empty();
        }
        JsonNode name = params.get("name");
        if (name == null || !name.isString() || allows.test(credential.engineName(), name.asString())) {
            return Optional.empty();
        }
        return Optional.of(McpSchema.JSONRPCResponse.error(
                id,
                new McpSchema.JSONRPCResponse.JSONRPCError(
                        McpSchema.ErrorCodes.INVALID_PARAMS, "Unknown tool: " + name.asString(), null)));
    }

    /** Returns {@code r} with the tools {@code credential} may not see left out of a {@code tools/list} result. */
    McpSchema.JSONRPCResponse filter(Credential credential, McpSchema.JSONRPCResponse r) {
        if (!(r.result() instanceof McpSchema.ListToolsResult list)) {
            return r;
        }
        String engine = credential.engineName();
        var visible =
                list.tools().stream().filter(t -> allows.test(engine, t.name())).toList();
        if (visible.size() == list.tools().size()) {
            return r;
        }
        return McpSchema.JSONRPCResponse.result(
                r.id(), new McpSchema.ListToolsResult(visible, list.nextCursor(), list.meta()));
    }

    /** Wraps the reply of a sessionful {@code tools/list} so its result is filtered on the way out. */
    ReplyTransport filtering(Credential credential, ReplyTransport reply, Object requestId) {
        return new ReplyTransport() {
            @Override
            public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
                return sendMessage(message, null);
            }

            @Override
            public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message, String messageId) {
                if (message instanceof McpSchema.JSONRPCResponse r && Objects.equals(r.id(), requestId)) {
                    return reply.sendMessage(filter(credential, r), messageId);
                }
                return reply.sendMessage(message, messageId);
            }

            @Override
            public Optional<McpSchema.JSONRPCResponse> response() {
                return reply.response();
            }

            @Override
            public void answerIfUnanswered(McpSchema.JSONRPCResponse error) {
                reply.answerIfUnanswered(error);
            }

            @Override
            public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
                return reply.unmarshalFrom(data, typeRef);
            }

            @Override
            public Mono<Void> closeGracefully() {
                return reply.closeGracefully();
            }

            @Override
            public void close() {
                reply.close();
            }
        };
    }
}
