package dev.tandem.hub.fleet;

import dev.tandem.core.fleet.FleetRepository;
import dev.tandem.core.fleet.KeyCheck;
import dev.tandem.core.store.StoreException;
import dev.tandem.hub.auth.Credential;
import dev.tandem.hub.auth.HostKeys;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The fleet hub's {@link HostKeys}: each presented host key is checked in the shared store (so a revocation or a
 * rotation on any hub holds on the next request here), and the kill switch is read from the store every
 * {@value #POLL_MILLIS} ms, so a freeze reaches every hub on the database within a second; so are the live key ids,
 * so a stream opened with a key revoked since is cut ({@link #afterEachPoll}). A store that cannot be
 * reached lets no host key in and keeps the last known state of the switch.
 */
public final class FleetKeys implements HostKeys, AutoCloseable {
    static final long POLL_MILLIS = 200;
    private static final Logger LOG = Logger.getLogger(FleetKeys.class.getName());

    private final FleetRepository fleet;
    private final ScheduledExecutorService poller;
    private volatile boolean frozen;
    /** The live key ids as last read, and when (System.nanoTime()) that read began. */
    private volatile LiveKeys live;

    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    // only the poller's thread reads and writes it
    private boolean unreadable;

    public FleetKeys(FleetRepository fleet) {
        this.fleet = fleet;
        this.live = new LiveKeys(fleet.liveKeyIds(), System.nanoTime());
        this.frozen = fleet.frozen();
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tandem-fleet-freeze");
            t.setDaemon(true);
            return t;
        });
        var unused = poller.scheduleWithFixedDelay(this::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    private record LiveKeys(Set<String> ids, long readFrom) {}

    private void poll() {
        try {
            long started = System.nanoTime();
            live = new LiveKeys(fleet.liveKeyIds(), started);
            boolean now = fleet.frozen();
            if (now != frozen) {
                LOG.warning(now ? "the fleet is frozen: only the person's own token is let in" : "the fleet is thawed");
            }
            frozen = now;
            if (unreadable) {
                unreadable = false;
                LOG.info("the fleet's freeze switch can be read again");
            }
        } catch (RuntimeException e) {
            // once per outage, not every poll: a database that is down for an hour must not fill the log
            if (!unreadable) {
                unreadable = true;
                LOG.warning("cannot read the fleet's freeze switch (keeping it " + (frozen ? "frozen" : "thawed")
                        + " until it can be read): " + e.getMessage());
            }
        }
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "cutting streams after the fleet poll failed", e);
            }
        }
    }

    @Override
    public boolean revokedSince(String keyId, long acceptedNanos) {
        LiveKeys now = live;
        // only a read that began after the key was accepted can tell it is gone: a key issued a moment ago is not
        // in an older read
        return now.readFrom() - acceptedNanos > 0 && !now.ids().contains(keyId);
    }

    @Override
    public boolean watchesStreams() {
        return true;
    }

    @Override
    public void afterEachPoll(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public Optional<Credential> identify(String key, String sourceIp) {
        KeyCheck check;
        try {
            check = fleet.check(key, sourceIp);
        } catch (StoreException e) {
            LOG.warning("cannot check a host key from " + sourceIp + ": " + e.getMessage());
            return Optional.empty();
        }
        if (!check.accepted()) {
            // the reason names the host and addresses, never the key
            LOG.info(() ->
                    "host key refused from " + sourceIp + ": " + check.refusal().orElse(""));
            return Optional.empty();
        }
        return Optional.of(Credential.enrolled(check.host().orElseThrow(), check.engine()));
    }

    @Override
    public boolean frozen() {
        return frozen;
    }

    /** Returns how often the switch is read. */
    public static Duration pollEvery() {
        return Duration.ofMillis(POLL_MILLIS);
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
