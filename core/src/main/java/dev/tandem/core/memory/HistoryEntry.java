package dev.tandem.core.memory;

import java.util.Objects;

/**
 * One row of the append-only history: a version of a memory, or the tombstone its deletion left.
 *
 * @param memory the version (for a tombstone, the last content with the deletion time as {@code updated})
 * @param deleted whether this version records a deletion
 */
public record HistoryEntry(Memory memory, boolean deleted) {
    public HistoryEntry {
        Objects.requireNonNull(memory, "memory");
    }
}
