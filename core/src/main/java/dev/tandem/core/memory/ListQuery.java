package dev.tandem.core.memory;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A page of memories, most recently updated first.
 *
 * @param tags every one of these tags must be present
 * @param scope only this scope, or every scope when empty
 * @param offset how many to skip
 * @param limit at most this many
 * @param host only the memories stored from this host, or from every host the owner may see when empty
 */
public record ListQuery(List<String> tags, Optional<Scope> scope, int offset, int limit, Optional<String> host) {
    public ListQuery {
        tags = List.copyOf(tags);
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(host, "host");
        if (offset < 0 || limit < 1) {
            throw new IllegalArgumentException("offset must be >= 0 and limit > 0, got " + offset + ", " + limit);
        }
    }

    /** A page from every host the owner may see. */
    public ListQuery(List<String> tags, Optional<Scope> scope, int offset, int limit) {
        this(tags, scope, offset, limit, Optional.empty());
    }
}
