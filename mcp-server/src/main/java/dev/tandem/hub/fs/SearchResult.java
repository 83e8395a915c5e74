package dev.tandem.hub.fs;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a search found.
 *
 * @param folder the searched folder's real path
 * @param matches matching lines, sorted by path and line
 * @param filesScanned text files searched
 * @param truncated whether the search stopped at {@code maxResults}
 */
public record SearchResult(Path folder, List<SearchMatch> matches, int filesScanned, boolean truncated) {
    public SearchResult {
        Objects.requireNonNull(folder);
        matches = List.copyOf(matches);
    }
}
