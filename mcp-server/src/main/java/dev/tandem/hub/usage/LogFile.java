package dev.tandem.hub.usage;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A log file found under the configured folders.
 *
 * @param path its absolute path
 * @param engine the engine that writes it
 * @param size its size when found
 * @param fileKey the file system's identity (device and inode), or the path where there is none
 * @param mtime its last-modified time when found, in nanoseconds since the epoch
 * @param fallbackSession the session its name says, for lines that do not say
 * @param fallbackProject the project its folder says, for lines that do not say ({@code ""} for Codex)
 */
record LogFile(
        Path path,
        String engine,
        long size,
        String fileKey,
        long mtime,
        String fallbackSession,
        String fallbackProject) {
    LogFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(fileKey, "fileKey");
        Objects.requireNonNull(fallbackSession, "fallbackSession");
        Objects.requireNonNull(fallbackProject, "fallbackProject");
    }
}
