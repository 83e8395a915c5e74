package dev.tandem.hub.usage;

import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads what is new in the logs in the background of the hub: once at start, then every {@code [usage]
 * poll_seconds}, and at once when asked ({@link #fresh}: {@code tandem usage} answered by the hub). A timed round that
 * finds another reader at work ({@code tandem usage}) is skipped, not waited for; an asked-for round waits for it. A
 * failed round is logged and the next one tried. Only this thread reads the logs: requests wait for it, and any
 * number of them waiting at once share one round.
 */
public final class UsagePoller implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(UsagePoller.class.getName());

    /** How long an asked-for round waits for another reader ({@code tandem usage} without the hub) to finish. */
    static final Duration READER_WAIT = Duration.ofMinutes(10);

    private final UsageScanner scanner;
    private final Duration interval;
    private final Thread thread;
    private volatile boolean closing;
    private final Object rounds = new Object();
    /** Rounds started and finished so far; a round asked for is one started after the asking. */
    private long started;

    private long finished;
    private boolean asked;
    /** Whether the last finished round read the logs (false: another reader held them, or it failed). */
    private boolean lastRead;

    private UsagePoller(UsageScanner scanner, Duration interval) {
        this.scanner = scanner;
        this.interval = interval;
        this.thread = Thread.ofPlatform().name("tandem-usage-poller").daemon().unstarted(this::run);
    }

    /** Starts polling. */
    public static UsagePoller start(UsageScanner scanner, Duration interval) {
        UsagePoller p = create(scanner, interval);
        p.start();
        return p;
    }

    /**
     * Returns a poller that reads nothing until {@link #start}: the hub starts it once it listens, so the first round
     * does not compete with the start for the CPU. A {@link #fresh} asked before then waits for that first round.
     */
    public static UsagePoller create(UsageScanner scanner, Duration interval) {
        return new UsagePoller(scanner, interval);
    }

    /** Starts polling; a second call does nothing, nor one after {@link #close}. */
    public void start() {
        synchronized (rounds) {
            if (closing || thread.getState() != Thread.State.NEW) {
                return;
            }
            thread.start();
        }
    }

    private void run() {
        while (!closing) {
            boolean waitForReader;
            synchronized (rounds) {
                started++;
                waitForReader = asked;
                asked = false;
            }
            boolean read = false;
            try {
                UsageScanner.Result r = scanner.scan(waitForReader ? READER_WAIT : Duration.ZERO);
                read = r.ran();
                if (r.ran() && r.read() > 0) {
                    LOG.fine(() -> "usage: read " + r.bytes() + " bytes of " + r.read() + " logs in " + r.took());
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "usage: reading the logs failed: " + e.getMessage(), e);
            }
            try {
                synchronized (rounds) {
                    finished = started;
                    lastRead = read;
                    rounds.notifyAll();
                    long until = System.nanoTime() + interval.toNanos();
                    for (long left = interval.toNanos();
                            !asked && !closing && left > 0;
                            left = until - System.nanoTime()) {
                        rounds.wait(Math.max(1, left / 1_000_000));
                    }
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Has the logs read now and waits for that round: one that starts after this call, so every byte written before
     * it is in the store when this returns true. Returns false when the round did not end within {@code timeout} or
     * the poller is closing (the store then holds what earlier rounds read).
     */
    public boolean fresh(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (rounds) {
            long need = started + 1;
            asked = true;
            rounds.notifyAll();
            while (finished < need && !closing) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                rounds.wait(Math.max(1, left / 1_000_000));
            }
            return finished >= need && lastRead;
        }
    }

    /** Stops polling; a round in progress finishes its current transaction first. */
    @Override
    public void close() {
        synchronized (rounds) {
            closing = true;
            rounds.notifyAll();
            if (thread.getState() == Thread.State.NEW) {
                return; // never started: nothing to stop
            }
        }
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
