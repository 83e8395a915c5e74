package dev.tandem.hub.fs;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Lines read from a text file.
 *
 * @param path the file's real path
 * @param text the lines, each with its line break
 * @param startLine first line returned, 1-based
 * @param endLine last line returned (startLine - 1 when none)
 * @param totalLines lines in the whole file
 * @param size the file's size in bytes
 * @param sha256 the hash of the whole file, for a later {@code fs_replace}
 * @param truncated whether the byte cap cut the requested lines short
 */
public record TextRead(
        Path path,
        String text,
        int startLine,
        int endLine,
        int totalLines,
        long size,
        String sha256,
        boolean truncated) {
    public TextRead {
        Objects.requireNonNull(path);
        Objects.requireNonNull(text);
        Objects.requireNonNull(sha256);
    }
}
