package dev.tandem.hub.fs;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A folder's entries, to a depth.
 *
 * @param folder the listed folder's real path
 * @param entries the entries, sorted by path
 * @param truncated whether more entries exist than were returned
 */
public record Listing(Path folder, List<FsEntry> entries, boolean truncated) {
    public Listing {
        Objects.requireNonNull(folder);
        entries = List.copyOf(entries);
    }
}
