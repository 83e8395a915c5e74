package dev.tandem.hub.fleet;

import dev.tandem.core.fleet.FleetRepository;
import dev.tandem.core.fleet.KeyCheck;
import dev.tandem.core.store.StoreException;
import dev.tandem.hub.auth.Credential;
import dev.tandem.hub.auth.HostKeys;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The fleet hub's {@link HostKeys}: each presented host key is checked in the shared store (so a revocation or a
 * rotation on any hub holds on the next request here), and the kill switch is read from the store every
 * {@value #POLL_MILLIS} ms, so a freeze reaches every hub on the database within a second. A store that cannot be
 * reached lets no host key in and keeps the last known state of the switch.
 */
public final class FleetKeys implements HostKeys, AutoCloseable {
    static final long POLL_MILLIS = 200;
    private static final Logger LOG = Logger.getLogger(FleetKeys.class.getName());

    private final FleetRepository fleet;
    private final ScheduledExecutorService poller;
    private volatile boolean frozen;
    // only the poller's thread reads and writes it
    private boolean unreadable;

    public FleetKeys(FleetRepository fleet) {
        this.fleet = fleet;
        this.frozen = fleet.frozen();
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tandem-fleet-freeze");
            t.setDaemon(true);
            return t;
        });
        var unused = poller.scheduleWithFixedDelay(this::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void poll() {
        try {
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
