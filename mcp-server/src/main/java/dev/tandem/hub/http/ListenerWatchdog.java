package dev.tandem.hub.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Connects to the hub's own port now and then, and starts the listener again when the connection is refused.
 *
 * <p>Helidon's listener gives up for good when {@code accept} fails, for example with "Too many open files": it
 * closes its socket and the process stays up serving nothing. A refused probe is the only outside sign of that;
 * a probe that cannot get a descriptor itself, or finds the accept queue full, proves nothing and waits for the
 * next round.
 */
final class ListenerWatchdog implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MILLIS = 1_000;
    private static final int PROBES = 2;

    private final Supplier<InetSocketAddress> target;
    private final Runnable restart;
    private final ScheduledExecutorService timer;
    private final ScheduledFuture<?> rounds;

    ListenerWatchdog(Supplier<InetSocketAddress> target, Runnable restart, Duration every) {
        this.target = target;
        this.restart = restart;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tandem-listener-watchdog");
            t.setDaemon(true);
            return t;
        });
        long millis = every.toMillis();
        this.rounds = timer.scheduleWithFixedDelay(this::check, millis, millis, TimeUnit.MILLISECONDS);
    }

    private void check() {
        for (int probe = 0; probe < PROBES; probe++) {
            if (!refused()) {
                return;
            }
        }
        restart.run(); // refused every time, so one odd refusal restarts nothing
    }

    private boolean refused() {
        try (Socket probe = new Socket()) {
            probe.connect(target.get(), CONNECT_TIMEOUT_MILLIS);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException | RuntimeException e) {
            // no descriptor for the probe, or a full accept queue: the listener may be fine; look again later
            return false;
        }
    }

    @Override
    public void close() {
        rounds.cancel(false);
        timer.shutdownNow();
    }
}
