package dev.tandem.hub.git;

import java.util.Objects;

/**
 * One changed path.
 *
 * @param path repository-relative path with {@code /} separators (the new path of a rename)
 * @param change {@code added}, {@code modified}, {@code deleted}, {@code renamed} or {@code copied}
 */
public record FileChange(String path, String change) {
    public FileChange {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(change, "change");
    }
}
