package dev.tandem.core.fleet;

import java.util.List;
import java.util.Set;

/**
 * The fleet's hosts, keys, kill switch and audit log, in the shared PostgreSQL store (docs/fleet.md). Every hub on
 * the database reads the same rows, so a revocation or a freeze holds on all of them.
 */
public interface FleetRepository {
    /**
     * Adds host {@code name} and returns its key, the only time it is known: the store keeps its salted hash.
     *
     * @throws FleetException when the name is taken or not a valid name
     */
    HostKey.Issued add(String name, boolean roaming, String actor);

    /** Gives {@code name} a new key (the old one is refused from then on) and returns it; clears the bound address. */
    HostKey.Issued rotate(String name, String actor);

    /** Revokes {@code name}'s key: refused from the next request on, on every hub. */
    void revoke(String name, String actor);

    /** Returns every host, revoked ones too, by name. */
    List<FleetHost> hosts();

    /**
     * Checks a presented key from {@code sourceIp}: binds an unbound, non-roaming host to {@code sourceIp} on first
     * use and refuses it from any other address; stamps {@code last_seen}.
     */
    KeyCheck check(String presentedKey, String sourceIp);

    /**
     * Returns the key ids of every live key (hosts not revoked, each with its current key): a key whose id is not
     * among them was revoked or rotated away.
     */
    Set<String> liveKeyIds();

    /** Returns whether the fleet is frozen. */
    boolean frozen();

    /** Freezes ({@code true}) or thaws the fleet; recorded in the audit log. */
    void freeze(boolean frozen, String actor);

    /** Records an admin action that is not one of the above (an enrolment). */
    void audit(String actor, String action, String host, String detail);

    /** Returns the newest {@code limit} audit entries, newest first. */
    List<AuditEntry> audit(int limit);
}
