package dev.tandem.hub.fs;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What a write or replace left on disk.
 *
 * @param path the file's real path
 * @param bytes its size
 * @param sha256 the hash of its new content
 * @param created whether the file did not exist before
 */
public record WriteResult(Path path, long bytes, String sha256, boolean created) {
    public WriteResult {
        Objects.requireNonNull(path);
        Objects.requireNonNull(sha256);
    }
}
