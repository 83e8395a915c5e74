package dev.tandem.hub.telemetry;

import dev.tandem.core.telemetry.RequestEvent;
import dev.tandem.core.telemetry.TelemetryRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Records requests off the request path: {@link #record} only offers the event to a bounded queue (a full queue
 * drops it and counts the drop), and one writer thread inserts what the queue holds in batches. The same thread
 * deletes rows older than the retention at start and then hourly.
 */
public final class TelemetryRecorder implements RequestRecorder, AutoCloseable {
    static final int BATCH = 2048;
    /**
     * How long the writer lets rows gather after the first one arrives: one transaction (and one wake-up of the
     * writer) per interval instead of per request, which under load costs the request path far less CPU.
     */
    static final Duration LINGER = Duration.ofMillis(100);

    static final Duration PRUNE_EVERY = Duration.ofHours(1);
    private static final Logger LOG = Logger.getLogger(TelemetryRecorder.class.getName());

    private final TelemetryRepository store;
    private final TelemetrySettings settings;
    private final Clock clock;
    // events and flush markers (CountDownLatch), in arrival order
    private final BlockingQueue<Object> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private volatile boolean closing;
    private long nextPrune;

    private TelemetryRecorder(TelemetryRepository store, TelemetrySettings settings, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.writer = Thread.ofPlatform().name("tandem-telemetry").daemon().unstarted(this::run);
    }

    /** Starts the writer thread; its first act is to prune rows older than the retention. */
    public static TelemetryRecorder start(TelemetryRepository store, TelemetrySettings settings, Clock clock) {
        TelemetryRecorder recorder = unstarted(store, settings, clock);
        recorder.startWriter();
        return recorder;
    }

    /** Returns a recorder whose writer thread is not running yet (tests fill its queue first). */
    static TelemetryRecorder unstarted(TelemetryRepository store, TelemetrySettings settings, Clock clock) {
        return new TelemetryRecorder(store, settings, clock);
    }

    void startWriter() {
        writer.start();
    }

    public TelemetryRepository store() {
        return store;
    }

    @Override
    public void record(RequestEvent event) {
        if (closing || !queue.offer(event)) {
            dropped.incrementAndGet();
        }
    }

    /** Returns how many events were dropped because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    /**
     * Waits until every event recorded before this call is in the database (or {@code timeout} passed), so a
     * reader sees the requests that happened before it asked.
     */
    public void flush(Duration timeout) {
        CountDownLatch marker = new CountDownLatch(1);
        if (closing || !writer.isAlive()) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            // only the reader waits for room here; record() never does
            if (queue.offer(marker, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                marker.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Deletes the rows older than the retention, now. */
    int prune() {
        Instant cutoff = clock.instant().minus(Duration.ofDays(settings.retentionDays()));
        nextPrune = clock.millis() + PRUNE_EVERY.toMillis();
        return store.deleteBefore(cutoff);
    }

    private void run() {
        pruneSafely();
        List<RequestEvent> batch = new ArrayList<>(BATCH);
        List<CountDownLatch> markers = new ArrayList<>();
        while (true) {
            Object first = null;
            try {
                first = queue.poll(1, TimeUnit.MINUTES);
                if (first != null && !closing && queue.size() < BATCH) {
                    Thread.sleep(LINGER);
                }
            } catch (InterruptedException e) {
                // close() interrupts: write what is taken and queued, then stop
            }
            List<Object> taken = new ArrayList<>();
            if (first != null) {
                taken.add(first);
            }
            queue.drainTo(taken, BATCH - taken.size());
            for (Object o : taken) {
                if (o instanceof RequestEvent e) {
                    batch.add(e);
                } else if (o instanceof CountDownLatch m) {
                    markers.add(m);
                }
            }
            if (!batch.isEmpty()) {
                List<RequestEvent> rows = List.copyOf(batch);
                safely(() -> store.insert(rows));
                batch.clear();
            }
            markers.forEach(CountDownLatch::countDown);
            markers.clear();
            if (clock.millis() >= nextPrune) {
                pruneSafely();
            }
            if (closing && queue.isEmpty()) {
                return;
            }
        }
    }

    private static void safely(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            // telemetry must never take the hub down; the rows of this batch are lost
            LOG.log(Level.WARNING, "telemetry write failed: " + e.getMessage(), e);
        }
    }

    private void pruneSafely() {
        safely(() -> {
            int deleted = prune();
            if (deleted > 0) {
                LOG.fine(() ->
                        "telemetry: deleted " + deleted + " rows older than " + settings.retentionDays() + " days");
            }
        });
    }

    /** Writes what is queued and stops the writer thread; the store stays open for its owner to close. */
    @Override
    public void close() {
        closing = true;
        writer.interrupt();
        try {
            writer.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
