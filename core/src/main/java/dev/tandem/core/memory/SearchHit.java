package dev.tandem.core.memory;

import java.util.Objects;

/**
 * A memory that matched a search.
 *
 * @param memory the current version
 * @param snippet an excerpt with each match marked as {@code **term**}
 * @param score relevance, higher is better (the negated FTS5 bm25 rank)
 */
public record SearchHit(Memory memory, String snippet, double score) {
    public SearchHit {
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(snippet, "snippet");
    }
}
