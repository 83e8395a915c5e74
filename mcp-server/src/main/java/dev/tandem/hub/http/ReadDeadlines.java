package dev.tandem.hub.http;

import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Closes a connection whose request is not read in full (headers and body) within the read timeout of its request
 * line arriving, so a client that trickles a request, or never finishes one, cannot hold a connection.
 *
 * <p>Helidon's idle timeout covers a connection with no request line (it interrupts only while the request line is
 * read) and nothing else: headers or a body sent slowly kept a connection and its thread for as long as the client
 * liked. Helidon calls {@link #prologue} on the connection's thread when a request line has arrived; the edge
 * filter then ends the deadline on the same thread once the headers are in and the request has no body, or when
 * the body's stream reaches its end, whoever reads it.
 */
final class ReadDeadlines implements Http1ConnectionListener, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ReadDeadlines.class.getName());

    private final long timeoutMillis;
    private final ScheduledThreadPoolExecutor timer;
    private final ConcurrentHashMap<Thread, Deadline> pending = new ConcurrentHashMap<>();

    ReadDeadlines(Duration timeout) {
        this.timeoutMillis = timeout.toMillis();
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "tandem-read-deadlines");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        Deadline d = new Deadline(Thread.currentThread(), ctx);
        Deadline old = pending.put(d.connection, d);
        if (old != null) {
            old.cancel(); // a body Helidon consumed after its handler: this request's deadline replaces it
        }
        d.close = timer.schedule(d, timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** Ends the deadline of the request whose request line arrived on {@code connection}: it is read in full. */
    void received(Thread connection) {
        Deadline d = pending.remove(connection);
        if (d != null) {
            d.cancel();
        }
    }

    /** Returns {@code body}, which calls {@link #received} for {@code connection} once it is read to the end. */
    InputStream untilEnd(InputStream body, Thread connection) {
        return new EndOfBody(body, connection);
    }

    int pending() {
        return pending.size();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        pending.clear();
    }

    private final class Deadline implements Runnable {
        final Thread connection;
        final ConnectionContext ctx;
        volatile ScheduledFuture<?> close;

        Deadline(Thread connection, ConnectionContext ctx) {
            this.connection = connection;
            this.ctx = ctx;
        }

        @Override
        public void run() {
            if (!pending.remove(connection, this)) {
                return;
            }
            LOG.fine(() -> "closing a connection from " + ctx.remotePeer().host()
                    + " whose request was not read within " + timeoutMillis + " ms");
            try {
                ctx.serverSocket().close();
            } catch (RuntimeException e) {
                // already closed by the client or the server
            }
        }

        void cancel() {
            ScheduledFuture<?> f = close;
            if (f != null) {
                f.cancel(false);
            }
        }
    }

    private final class EndOfBody extends FilterInputStream {
        private final Thread connection;

        EndOfBody(InputStream in, Thread connection) {
            super(in);
            this.connection = connection;
        }

        @Override
        public int read() throws IOException {
            return ended(super.read());
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return ended(super.read(b, off, len));
        }

        private int ended(int n) {
            if (n < 0) {
                received(connection);
            }
            return n;
        }
    }
}
