package dev.tandem.hub.fs;

import java.util.Objects;

/**
 * One matching line.
 *
 * @param path the file, relative to the searched folder, with {@code /} separators
 * @param line the 1-based line number
 * @param text the line, without its break, cut to {@value FsSearcher#MAX_LINE_CHARS} characters
 */
public record SearchMatch(String path, int line, String text) {
    public SearchMatch {
        Objects.requireNonNull(path);
        Objects.requireNonNull(text);
    }
}
