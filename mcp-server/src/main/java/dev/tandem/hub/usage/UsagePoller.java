package dev.tandem.hub.usage;

import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads what is new in the logs in the background of the hub: once at start, then every {@code [usage]
 * poll_seconds}. A round that finds another reader at work ({@code tandem usage}) is skipped, not waited for; a
 * failed round is logged and the next one tried.
 */
public final class UsagePoller implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(UsagePoller.class.getName());

    private final UsageScanner scanner;
    private final Duration interval;
    private final Thread thread;
    private volatile boolean closing;

    private UsagePoller(UsageScanner scanner, Duration interval) {
        this.scanner = scanner;
        this.interval = interval;
        this.thread = Thread.ofPlatform().name("tandem-usage-poller").daemon().unstarted(this::run);
    }

    /** Starts polling. */
    public static UsagePoller start(UsageScanner scanner, Duration interval) {
        UsagePoller p = new UsagePoller(scanner, interval);
        p.thread.start();
        return p;
    }

    private void run() {
        while (!closing) {
            try {
                UsageScanner.Result r = scanner.scan(Duration.ZERO);
                if (r.ran() && r.read() > 0) {
                    LOG.fine(() -> "usage: read " + r.bytes() + " bytes of " + r.read() + " logs in " + r.took());
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "usage: reading the logs failed: " + e.getMessage(), e);
            }
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops polling; a round in progress finishes its current transaction first. */
    @Override
    public void close() {
        closing = true;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
