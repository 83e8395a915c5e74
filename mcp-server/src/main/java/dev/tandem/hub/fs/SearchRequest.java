package dev.tandem.hub.fs;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link FsSearcher} looks for.
 *
 * @param path the folder (or file) to search, absolute or relative to the first root
 * @param query the text or regular expression
 * @param regex whether {@code query} is a {@link java.util.regex.Pattern} (else a literal)
 * @param ignoreCase whether case is ignored
 * @param glob a glob the file must match: against its name when it has no {@code /}, else its relative path
 * @param includeHidden whether files and folders whose name starts with {@code .} are searched
 * @param maxResults the most matching lines returned; more sets {@code truncated}
 */
public record SearchRequest(
        String path,
        String query,
        boolean regex,
        boolean ignoreCase,
        Optional<String> glob,
        boolean includeHidden,
        int maxResults) {
    public static final int DEFAULT_MAX_RESULTS = 200;

    public SearchRequest {
        Objects.requireNonNull(path);
        Objects.requireNonNull(query);
        Objects.requireNonNull(glob);
        if (query.isEmpty()) {
            throw new FsException("query is empty");
        }
        if (maxResults < 1) {
            throw new FsException("max_results must be positive, got " + maxResults);
        }
    }
}
