package dev.tandem.hub.portfolio;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Watches the portfolio folder for added, removed or edited documents by listing it now and then.
 *
 * <p>A poll rather than a {@code WatchService}: the JDK's watcher is not recursive on Linux and the portfolio is a
 * handful of files, so listing it every couple of seconds costs next to nothing and also catches sub-folders.
 */
public final class PortfolioPoller implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PortfolioPoller.class.getName());

    private final Portfolio portfolio;
    private final Duration interval;
    private final Runnable onChange;
    private final AtomicBoolean running = new AtomicBoolean();
    private final Thread thread;
    private List<String> last;

    /**
     * Creates a poller that calls {@code onChange} whenever a document was added, removed or changed (its size or
     * modification time, see {@link Portfolio#stamps()}).
     */
    public PortfolioPoller(Portfolio portfolio, Duration interval, Runnable onChange) {
        this.portfolio = portfolio;
        this.interval = interval;
        this.onChange = onChange;
        this.last = portfolio.stamps();
        this.thread =
                Thread.ofPlatform().daemon().name("tandem-portfolio-poller").unstarted(this::loop);
    }

    public void start() {
        if (running.compareAndSet(false, true)) {
            thread.start();
        }
    }

    private void loop() {
        while (running.get()) {
            try {
                Thread.sleep(interval);
                poll();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "portfolio poll failed: " + e.getMessage(), e);
            }
        }
    }

    /** Lists the folder once and reports a change; public so a caller can force a check. */
    public synchronized void poll() {
        List<String> now = portfolio.stamps();
        if (!now.equals(last)) {
            last = now;
            onChange.run();
        }
    }

    @Override
    public void close() {
        running.set(false);
        thread.interrupt();
    }
}
