package dev.tandem.hub.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Connects to each of the hub's own listeners now and then, and starts one again when the connection to it is
 * refused: the main one, and with TLS the plain-HTTP one on 127.0.0.1 as well.
 *
 * <p>Helidon's listener gives up for good when {@code accept} fails, for example with "Too many open files": it
 * closes its socket and the process stays up serving nothing. A refused probe is the only outside sign of that;
 * a probe that cannot get a descriptor itself, or finds the accept queue full, proves nothing and waits for the
 * next round.
 */
final class ListenerWatchdog implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HubServer.class.getName());
    private static final int CONNECT_TIMEOUT_MILLIS = 1_000;
    private static final int PROBES = 2;

    private final List<Listener> listeners;
    private final Consumer<Listener> restart;
    private final ScheduledExecutorService timer;
    private final ScheduledFuture<?> rounds;

    ListenerWatchdog(List<Listener> listeners, Consumer<Listener> restart, Duration every) {
        this.listeners = List.copyOf(listeners);
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
        for (Listener listener : listeners) {
            try {
                check(listener);
            } catch (RuntimeException e) {
                // an exception out of a scheduled round cancels every later round, for every listener
                LOG.log(Level.WARNING, "checking " + listener + " failed", e);
            }
        }
    }

    private void check(Listener listener) {
        for (int probe = 0; probe < PROBES; probe++) {
            if (!refused(listener.probeAddress())) {
                return;
            }
        }
        restart.accept(listener); // refused every time, so one odd refusal restarts nothing
    }

    private static boolean refused(InetSocketAddress target) {
        try (Socket probe = new Socket()) {
            probe.connect(target, CONNECT_TIMEOUT_MILLIS);
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
