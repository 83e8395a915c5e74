package dev.tandem.core.memory;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One version of a memory.
 *
 * @param id the memory's id, stable across versions
 * @param version 1 for the first store, one more for each update
 * @param title a short title, possibly empty
 * @param content the text
 * @param summary a one-line summary
 * @param tags lower-case tags
 * @param scope who sees it
 * @param engine the engine that first stored it
 * @param host the host it was first stored from
 * @param created when version 1 was stored
 * @param updated when this version was stored
 */
public record Memory(
        String id,
        int version,
        String title,
        String content,
        String summary,
        List<String> tags,
        Scope scope,
        String engine,
        String host,
        Instant created,
        Instant updated) {

    public Memory {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(summary, "summary");
        tags = List.copyOf(tags);
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(updated, "updated");
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, got " + version);
        }
    }

    /** Returns whether {@code owner} may see this memory. */
    public boolean visibleTo(Owner owner) {
        return scope == Scope.SHARED
                || owner.seesAll()
                || (host.equals(owner.host()) && (scope == Scope.HOST || engine.equals(owner.engine())));
    }

    /** Returns whether this version says the same as {@code draft}, so storing it would add nothing. */
    public boolean sameAs(MemoryDraft draft) {
        return title.equals(draft.title())
                && content.equals(draft.content())
                && summary.equals(draft.summary())
                && tags.equals(draft.tags())
                && scope == draft.scope();
    }
}
