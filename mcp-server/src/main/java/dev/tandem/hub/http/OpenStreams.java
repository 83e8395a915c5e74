package dev.tandem.hub.http;

import dev.tandem.hub.auth.Credential;
import dev.tandem.hub.auth.HostKeys;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

/**
 * The response bodies being written to callers that are not the person: every open SSE stream (a session's GET, a
 * {@code subscriptions/listen}, a POST answered as a stream) of an engine's credential or an enrolled host's key.
 * After each read of the fleet's switch and keys ({@link HostKeys#afterEachPoll}), {@link #sweep} ends the ones the
 * fleet no longer lets in — all of them while it is frozen, those of a key revoked or rotated since it was accepted
 * — so a stream does not outlive its credential by more than a poll. The person's own are never watched.
 */
final class OpenStreams {
    private static final Logger LOG = Logger.getLogger(OpenStreams.class.getName());

    private final HostKeys hosts;
    private final Set<Watched> open = ConcurrentHashMap.newKeySet();

    OpenStreams(HostKeys hosts) {
        this.hosts = hosts;
        hosts.afterEachPoll(this::sweep);
    }

    /**
     * Returns {@code out} watched for {@code credential}, accepted at {@code acceptedNanos} with the key id {@code
     * keyId} (an enrolled host's key), or {@code out} itself for the person's credential.
     */
    OutputStream watch(OutputStream out, Credential credential, Optional<String> keyId, long acceptedNanos) {
        if (credential.admin()) {
            return out;
        }
        Watched w = new Watched(out, credential, keyId, acceptedNanos);
        open.add(w);
        return w;
    }

    /** Returns how many bodies are watched now. */
    int size() {
        return open.size();
    }

    /** Ends every watched body whose credential the fleet no longer lets in. */
    void sweep() {
        boolean frozen = hosts.frozen();
        for (Watched w : open) {
            boolean revoked = w.keyId.isPresent() && hosts.revokedSince(w.keyId.get(), w.accepted);
            if (frozen || revoked) {
                LOG.info(() -> "ending an open stream of " + w.credential.label() + ": "
                        + (revoked ? "its key was revoked or rotated" : "the fleet is frozen"));
                w.cut();
            }
        }
    }

    /** A response body that tells when it was ended from outside. */
    interface Endable {
        /** Runs {@code listener} once the body is ended by a {@link #sweep}. */
        void onEnd(Runnable listener);
    }

    /**
     * A response body that can be ended from another thread: every write and the end go through one lock, so the
     * chunk being written is finished before the body is closed; later writes fail as a vanished client's do.
     */
    private final class Watched extends FilterOutputStream implements Endable {
        private final Credential credential;
        private final Optional<String> keyId;
        private final long accepted;
        private final ReentrantLock lock = new ReentrantLock();
        private boolean ended;
        private final AtomicBoolean cutting = new AtomicBoolean();
        private final List<Runnable> onEnd = new CopyOnWriteArrayList<>();

        Watched(OutputStream out, Credential credential, Optional<String> keyId, long accepted) {
            super(out);
            this.credential = credential;
            this.keyId = keyId;
            this.accepted = accepted;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            lock.lock();
            try {
                if (ended) {
                    throw new IOException("the stream was ended: its credential is no longer let in");
                }
                out.write(b, off, len);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void flush() throws IOException {
            lock.lock();
            try {
                if (!ended) {
                    out.flush();
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() throws IOException {
            open.remove(this);
            lock.lock();
            try {
                if (ended) {
                    return;
                }
                ended = true;
                out.close();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void onEnd(Runnable listener) {
            onEnd.add(listener);
        }

        /**
         * Ends the body, once, on a thread of its own: never on the poller's, which a write blocked on a client that
         * stopped reading (holding the lock) would otherwise stop, and with it every later freeze and revocation.
         */
        void cut() {
            if (!cutting.compareAndSet(false, true)) {
                return;
            }
            Thread.ofVirtual().name("tandem-stream-end").start(() -> {
                try {
                    close();
                } catch (IOException | RuntimeException e) {
                    // the client is gone already
                }
                // after the lock is let go: the stream's owner wakes up and lets its handler return
                onEnd.forEach(Runnable::run);
            });
        }
    }
}
