package dev.tandem.core.fleet;

import java.time.Instant;

/**
 * One admin action in the fleet's audit log.
 *
 * @param at when
 * @param actor who: {@code person@HOST} (the person's token on that hub's machine) or {@code cli@HOST}
 * @param action {@code host-add}, {@code host-revoke}, {@code host-rotate}, {@code freeze}, {@code thaw},
 *     {@code enrol}
 * @param host the fleet host it concerns, or {@code ""}
 * @param detail a short note (never a key)
 */
public record AuditEntry(Instant at, String actor, String action, String host, String detail) {}
