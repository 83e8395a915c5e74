package dev.tandem.hub.http;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CountDownLatch;
import reactor.core.publisher.Mono;

/** A GET stream on which the server sends requests and notifications outside any request. */
final class ListeningStream implements McpStreamableServerTransport {
    private final SseWriter sse;
    private final McpJsonMapper json;
    private final CountDownLatch closed = new CountDownLatch(1);

    ListeningStream(SseWriter sse, McpJsonMapper json) {
        this.sse = sse;
        this.json = json;
        sse.onEnded(this::close);
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        return sendMessage(message, null);
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message, String messageId) {
        return Mono.fromRunnable(() -> {
            String text;
            try {
                text = json.writeValueAsString(message);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (!sse.event(messageId, text)) {
                close();
            }
        });
    }

    /** Writes a keep-alive comment; a failed write means the client left, and the stream closes. */
    void keepAlive() {
        if (!sse.keepAlive()) {
            close();
        }
    }

    boolean isOpen() {
        return closed.getCount() > 0;
    }

    /** Blocks the GET handler until the stream closes. */
    void awaitClose() throws InterruptedException {
        closed.await();
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
        sse.close();
        closed.countDown();
    }
}
