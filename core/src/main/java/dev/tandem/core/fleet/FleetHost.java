package dev.tandem.core.fleet;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An enrolled machine as {@code tandem fleet host list} shows it (never its key).
 *
 * @param name the host's name: its rows (memories, usage, telemetry) are recorded under it
 * @param created when it was added
 * @param lastSeen when its key last let a request in
 * @param boundIp the source address its key is bound to (the first that used it), unless roaming
 * @param roaming whether its key works from any address
 * @param revoked when it was revoked
 */
public record FleetHost(
        String name,
        Instant created,
        Optional<Instant> lastSeen,
        Optional<String> boundIp,
        boolean roaming,
        Optional<Instant> revoked) {
    public FleetHost {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(lastSeen, "lastSeen");
        Objects.requireNonNull(boundIp, "boundIp");
        Objects.requireNonNull(revoked, "revoked");
    }
}
