package dev.tandem.hub.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes Server-Sent Events to one response; safe for concurrent senders (an SSE sink is not).
 *
 * <p>Once a write fails (the client went away) the writer is closed and later writes are dropped.
 */
final class SseWriter implements AutoCloseable {
    private final OutputStream out;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;

    SseWriter(OutputStream out) {
        this.out = out;
    }

    /**
     * Runs {@code listener} when the hub ends the body from outside (a freeze or a revocation, {@link OpenStreams}),
     * so whoever waits on the stream stops waiting.
     */
    void onEnded(Runnable listener) {
        if (out instanceof OpenStreams.Endable e) {
            e.onEnd(listener);
        }
    }

    /** Writes one {@code message} event; returns false when the stream is closed or the write failed. */
    boolean event(String id, String json) {
        StringBuilder sb = new StringBuilder(json.length() + 64);
        if (id != null) {
            sb.append("id: ").append(id).append('\n');
        }
        sb.append("event: message\n");
        // JSON from the mapper has no raw newlines, but a data line must never contain one.
        for (String line : json.split("\n", -1)) {
            sb.append("data: ").append(line).append('\n');
        }
        sb.append('\n');
        return write(sb.toString());
    }

    /** Writes an SSE comment that keeps proxies and clients from timing the stream out. */
    boolean keepAlive() {
        return write(": keep-alive\n\n");
    }

    /**
     * Sends the response headers now, so the client sees the stream open before the first event. Helidon commits
     * the headers only with the first body bytes (a bare {@code flush()} sends nothing), so this writes an SSE
     * comment, which clients ignore.
     */
    boolean open() {
        return write(": stream open\n\n");
    }

    private boolean write(String text) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return true;
        } catch (IOException | RuntimeException e) {
            // Helidon reports a vanished peer as an unchecked exception on write.
            closed = true;
            return false;
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            out.close();
        } catch (IOException | RuntimeException e) {
            // the peer is gone; nothing left to close
        } finally {
            lock.unlock();
        }
    }
}
