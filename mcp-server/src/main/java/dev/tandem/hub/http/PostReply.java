package dev.tandem.hub.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * The answer to one POSTed JSON-RPC request.
 *
 * <p>When the response is the only message it goes out as plain {@code application/json}. When the handler sends
 * a notification or a request first (logging, progress, sampling), the reply switches to an SSE stream that ends
 * after the response. A client that accepts only JSON gets the response alone; one that accepts only
 * {@code text/event-stream} gets even a lone response as an SSE event.
 */
final class PostReply implements ReplyTransport {
    private final ServerResponse res;
    private final Object requestId;
    private final boolean jsonAllowed;
    private final boolean sseAllowed;
    private final McpJsonMapper json;
    private final ReentrantLock lock = new ReentrantLock();
    private SseWriter sse;
    private boolean done;
    private volatile McpSchema.JSONRPCResponse response;
    private final Consumer<McpSchema.JSONRPCResponse> beforeSend;
    private final Function<McpSchema.JSONRPCResponse, Status> status;

    PostReply(ServerResponse res, Object requestId, Accept accept, McpJsonMapper json) {
        this(res, requestId, accept, json, r -> {});
    }

    /** A reply that hands the final response to {@code beforeSend} just before it is written. */
    PostReply(
            ServerResponse res,
            Object requestId,
            Accept accept,
            McpJsonMapper json,
            Consumer<McpSchema.JSONRPCResponse> beforeSend) {
        this(res, requestId, accept, json, beforeSend, r -> Status.OK_200);
    }

    /**
     * A reply whose final response, when it goes out as plain JSON, gets the HTTP status {@code status} gives
     * it (protocol 2026-07-28 answers some JSON-RPC errors with 400 or 404).
     */
    PostReply(
            ServerResponse res,
            Object requestId,
            Accept accept,
            McpJsonMapper json,
            Consumer<McpSchema.JSONRPCResponse> beforeSend,
            Function<McpSchema.JSONRPCResponse, Status> status) {
        this.beforeSend = beforeSend;
        this.status = status;
        this.res = res;
        this.requestId = requestId;
        // The transport refuses an Accept header that allows neither (406) before a reply exists.
        this.jsonAllowed = accept.json();
        this.sseAllowed = accept.eventStream();
        this.json = json;
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        return sendMessage(message, null);
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message, String messageId) {
        return Mono.fromRunnable(() -> {
            if (!send(message, messageId) && message instanceof McpSchema.JSONRPCRequest request) {
                // The SDK waits for the answer to a request (sampling, elicitation, roots) until its request
                // timeout (10 minutes in the hub) unless sending fails: fail at once instead of dropping it.
                throw McpError.builder(McpSchema.ErrorCodes.INTERNAL_ERROR)
                        .message("cannot send " + request.method() + " to the client: "
                                + (sseAllowed
                                        ? "the response stream is closed"
                                        : "its Accept header does not include text/event-stream"))
                        .build();
            }
        });
    }

    /** Writes the message; returns false when it did not reach the client (dropped or the write failed). */
    private boolean send(McpSchema.JSONRPCMessage message, String messageId) {
        String text = serialize(message);
        boolean finalResponse = message instanceof McpSchema.JSONRPCResponse r && Objects.equals(r.id(), requestId);
        if (finalResponse && response == null) {
            response = (McpSchema.JSONRPCResponse) message;
            // before the write, so whoever sees the response can also see it recorded
            beforeSend.accept(response);
        }
        lock.lock();
        try {
            if (done) {
                return false;
            }
            if (sse == null && finalResponse && jsonAllowed) {
                HttpReplies.json(res, status.apply((McpSchema.JSONRPCResponse) message), text);
                done = true;
                return true;
            }
            if (sse == null) {
                if (!sseAllowed) {
                    return false; // the client cannot read a stream; only the response will reach it
                }
                res.status(Status.OK_200);
                res.header(HeaderNames.CONTENT_TYPE, HttpReplies.TEXT_EVENT_STREAM);
                res.header(HeaderNames.CACHE_CONTROL, "no-cache");
                sse = new SseWriter(res.outputStream());
            }
            boolean written = sse.event(messageId, text);
            if (!written || finalResponse) {
                done = finalResponse || sse.isClosed();
            }
            return written;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes an SSE comment so that a client that went away is noticed, opening the event stream first when
     * nothing was sent yet. Returns false once the client is gone; true when the answer is out already or the
     * client reads no stream (then nothing can be written before the answer).
     */
    boolean keepAlive() {
        lock.lock();
        try {
            if (done || !sseAllowed) {
                return true;
            }
            if (sse == null) {
                res.status(Status.OK_200);
                res.header(HeaderNames.CONTENT_TYPE, HttpReplies.TEXT_EVENT_STREAM);
                res.header(HeaderNames.CACHE_CONTROL, "no-cache");
                sse = new SseWriter(res.outputStream());
            }
            return sse.keepAlive();
        } finally {
            lock.unlock();
        }
    }

    private String serialize(McpSchema.JSONRPCMessage message) {
        try {
            return json.writeValueAsString(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<McpSchema.JSONRPCResponse> response() {
        return Optional.ofNullable(response);
    }

    @Override
    public void answerIfUnanswered(McpSchema.JSONRPCResponse error) {
        lock.lock();
        try {
            if (response != null) {
                return;
            }
            if (sse == null && !res.isSent()) {
                done = false; // closed by the SDK, but nothing was written yet
            }
        } finally {
            lock.unlock();
        }
        send(error, null);
    }

    /** Ends the reply; a request that produced no answer at all gets an empty 202. */
    void finish() {
        lock.lock();
        try {
            if (sse != null) {
                sse.close();
            } else if (!done && !res.isSent()) {
                res.status(Status.ACCEPTED_202).send();
            }
            done = true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return json.convertValue(data, typeRef);
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(this::close);
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (sse != null) {
                sse.close();
            }
            done = true;
        } finally {
            lock.unlock();
        }
    }
}
