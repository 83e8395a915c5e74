package dev.tandem.hub.http;

import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerTransport;
import java.util.Optional;

/** Where the answer to one JSON-RPC request goes: a POST's own response, or a slot of a batch reply. */
interface ReplyTransport extends McpStreamableServerTransport {
    /** Returns the response to the request, once the handler sent it. */
    Optional<McpSchema.JSONRPCResponse> response();

    /** Sends {@code error} as the answer when none was sent, even after the SDK closed the reply without one. */
    void answerIfUnanswered(McpSchema.JSONRPCResponse error);
}
