package dev.tandem.hub.memory;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A store as the caller asked for it, before validation.
 *
 * @param content the text
 * @param title an optional title
 * @param summary an optional one-line summary (else the first sentence of the content)
 * @param tags tags, any case
 * @param scope who sees it
 * @param id the memory to update, or empty for a new one
 */
public record StoreRequest(
        String content,
        Optional<String> title,
        Optional<String> summary,
        List<String> tags,
        Scope scope,
        Optional<String> id) {
    public StoreRequest {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(summary, "summary");
        tags = List.copyOf(tags);
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(id, "id");
    }
}
