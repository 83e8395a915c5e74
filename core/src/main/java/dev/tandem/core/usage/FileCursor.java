package dev.tandem.core.usage;

import java.time.Instant;
import java.util.Objects;

/**
 * Where reading of one log file stopped.
 *
 * @param path the file's absolute path
 * @param engine the engine that writes it
 * @param fileKey the file system's identity of the file (device and inode), or its path where there is none
 * @param size the file's size when it was read
 * @param mtime the file's last-modified time when it was listed before that read, in nanoseconds since the epoch
 *     ({@link #UNKNOWN_MTIME} for cursors kept before it was recorded): with the identity and the size, what tells an
 *     unchanged file without reading it
 * @param offset the byte after the last complete line read
 * @param headHash a hash of the file's first bytes (up to 4 KiB), which changes when the file is rewritten
 * @param state what the reader needs to go on from {@code offset} (JSON)
 * @param readAt when it was read
 */
public record FileCursor(
        String path,
        String engine,
        String fileKey,
        long size,
        long mtime,
        long offset,
        String headHash,
        String state,
        Instant readAt) {
    /** The modification time of a cursor recorded before the store kept it. */
    public static final long UNKNOWN_MTIME = -1;

    public FileCursor {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(fileKey, "fileKey");
        Objects.requireNonNull(headHash, "headHash");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(readAt, "readAt");
        if (offset < 0 || size < offset) {
            throw new IllegalArgumentException("offset " + offset + " must lie within the size " + size);
        }
    }

    /** Returns whether {@code other} stands at the same place of the same file. */
    public boolean samePlace(FileCursor other) {
        return path.equals(other.path)
                && fileKey.equals(other.fileKey)
                && offset == other.offset
                && headHash.equals(other.headHash);
    }
}
