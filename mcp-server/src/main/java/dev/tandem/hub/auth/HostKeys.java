package dev.tandem.hub.auth;

import java.util.Optional;

/**
 * The keys of enrolled machines and the fleet's kill switch, as the HTTP edge asks about them: on a fleet hub the
 * shared PostgreSQL store (docs/fleet.md); on any other hub, {@link #NONE}.
 */
public interface HostKeys {
    /** No fleet: no host key is accepted and nothing is ever frozen. */
    HostKeys NONE = new HostKeys() {
        @Override
        public Optional<Credential> identify(String key, String sourceIp) {
            return Optional.empty();
        }

        @Override
        public boolean frozen() {
            return false;
        }
    };

    /** Returns the enrolled host's credential {@code key} is, used from {@code sourceIp}, if it is a live one. */
    Optional<Credential> identify(String key, String sourceIp);

    /** Returns whether the fleet is frozen: every request but the person's own is refused. */
    boolean frozen();

    /**
     * Returns whether the key with id {@code keyId}, accepted at {@code acceptedNanos} ({@link System#nanoTime}), has
     * since been revoked or rotated away, as far as the last read of the store tells.
     */
    default boolean revokedSince(String keyId, long acceptedNanos) {
        return false;
    }

    /** Returns whether open streams are watched for a freeze or a revocation: on a fleet hub only. */
    default boolean watchesStreams() {
        return false;
    }

    /** Runs {@code listener} after each read of the switch and the live keys (on a fleet hub, every 200 ms). */
    default void afterEachPoll(Runnable listener) {}
}
