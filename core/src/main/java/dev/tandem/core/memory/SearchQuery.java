package dev.tandem.core.memory;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A full-text search.
 *
 * @param text the person's or model's words, taken literally (no FTS syntax)
 * @param tags every one of these tags must be present
 * @param scope only this scope, or every scope when empty
 * @param limit at most this many hits
 * @param host only the memories stored from this host, or from every host the owner may see when empty
 */
public record SearchQuery(String text, List<String> tags, Optional<Scope> scope, int limit, Optional<String> host) {
    public SearchQuery {
        Objects.requireNonNull(text, "text");
        tags = List.copyOf(tags);
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(host, "host");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
    }

    /** A search across every host the owner may see. */
    public SearchQuery(String text, List<String> tags, Optional<Scope> scope, int limit) {
        this(text, tags, scope, limit, Optional.empty());
    }

    /** Returns whether {@code text} holds a word to search for: a letter or a digit somewhere. */
    public static boolean hasWord(String text) {
        return text.codePoints().anyMatch(Character::isLetterOrDigit);
    }
}
