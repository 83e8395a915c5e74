package dev.tandem.hub.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.hub.auth.Credential;
import dev.tandem.hub.auth.HostKeys;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Ending watched streams: a client that stopped reading cannot stop the fleet's poller. */
class OpenStreamsTest {
    /** A frozen fleet whose poll the test runs by hand. */
    private static final class Frozen implements HostKeys {
        Runnable poll = () -> {};

        @Override
        public Optional<Credential> identify(String key, String sourceIp) {
            return Optional.empty();
        }

        @Override
        public boolean frozen() {
            return true;
        }

        @Override
        public void afterEachPoll(Runnable listener) {
            poll = listener;
        }
    }

    /** A socket whose peer stopped reading: a write blocks until the test lets it go. */
    private static final class Stuck extends OutputStream {
        final CountDownLatch writing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            writing.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    @Test
    void aWriteBlockedOnAClientThatStoppedReadingDoesNotHoldUpThePollAndTheStreamEndsOnceItReturns() throws Exception {
        Frozen fleet = new Frozen();
        OpenStreams streams = new OpenStreams(fleet);
        Stuck socket = new Stuck();
        OutputStream body =
                streams.watch(socket, Credential.enrolled("laptop", Optional.of("codex")), Optional.of("k1"), 0L);
        assertEquals(1, streams.size());
        CountDownLatch ended = new CountDownLatch(1);
        ((OpenStreams.Endable) body).onEnd(ended::countDown);
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                body.write("event: message\n\n".getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // ended
            }
        });
        assertTrue(socket.writing.await(5, TimeUnit.SECONDS));
        // the poll returns at once, again and again, although the body's lock is held by the stuck write
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            fleet.poll.run();
            fleet.poll.run();
        });
        socket.release.countDown();
        writer.join(5000);
        assertTrue(ended.await(5, TimeUnit.SECONDS), "the stream was not ended once the write returned");
        assertTrue(socket.closed.get());
        assertEquals(0, streams.size(), "an ended stream stayed watched");
        assertThrows(IOException.class, () -> body.write(1), "a write after the end went through");
    }

    @Test
    void thePersonsStreamIsNeverWatched() {
        OpenStreams streams = new OpenStreams(new Frozen());
        OutputStream out = OutputStream.nullOutputStream();
        assertSame(out, streams.watch(out, Credential.PERSON, Optional.empty(), 0L));
        assertEquals(0, streams.size());
    }
}
