package dev.tandem.hub.memory;

import dev.tandem.core.memory.Scope;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A store as the caller asked for it, before validation.
 *
 * @param content the text
 * @param title a title; empty keeps an updated memory's title
 * @param summary a one-line summary; empty means the first sentence of the content
 * @param tags tags, any case; empty keeps an updated memory's tags (none for a new one)
 * @param scope who sees it; empty keeps an updated memory's scope ({@code client} for a new one)
 * @param id the memory to update, or empty for a new one
 */
public record StoreRequest(
        String content,
        Optional<String> title,
        Optional<String> summary,
        Optional<List<String>> tags,
        Optional<Scope> scope,
        Optional<String> id) {
    public StoreRequest {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(summary, "summary");
        tags = tags.map(List::copyOf);
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(id, "id");
    }
}
