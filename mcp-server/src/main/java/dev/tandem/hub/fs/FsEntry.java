package dev.tandem.hub.fs;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a listing.
 *
 * @param path the path relative to the listed folder, with {@code /} separators
 * @param type {@code file}, {@code dir}, {@code symlink} or {@code other}
 * @param size the size in bytes (of the link itself for a symlink)
 * @param modified the last modification time
 */
public record FsEntry(String path, String type, long size, Instant modified) {
    public FsEntry {
        Objects.requireNonNull(path);
        Objects.requireNonNull(type);
        Objects.requireNonNull(modified);
    }
}
