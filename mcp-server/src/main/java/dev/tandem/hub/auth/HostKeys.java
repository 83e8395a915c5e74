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
}
