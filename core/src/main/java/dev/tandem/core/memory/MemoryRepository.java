package dev.tandem.core.memory;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Where memories are kept, whatever the database (the store in {@code dev.tandem.core.store} implements it).
 *
 * <p>Every write is durable when the method returns. Versions are append-only: an update or a deletion adds a
 * history row and never changes an earlier one. A database failure is the store's {@code StoreException}.
 */
public interface MemoryRepository {
    /** Stores a new memory as version 1 and returns it. */
    Memory insert(Owner owner, MemoryDraft draft);

    /**
     * Stores the draft {@code change} makes of the current version as the next version of {@code id}, in one
     * transaction; returns the current version unchanged when the draft says nothing new. Thrown {@link
     * MemoryNotFoundException} when {@code owner} cannot see {@code id}.
     */
    Memory update(Owner owner, String id, Function<Memory, MemoryDraft> change);

    /** Returns the current version of {@code id} if {@code owner} can see it. */
    Optional<Memory> find(Owner owner, String id);

    /** Returns version {@code version} of {@code id} if the memory exists and {@code owner} can see it. */
    Optional<Memory> findVersion(Owner owner, String id, int version);

    /** Returns the best matches first. */
    List<SearchHit> search(Owner owner, SearchQuery query);

    /** Returns a page of the memories {@code owner} can see, most recently updated first. */
    Page list(Owner owner, ListQuery query);

    /** Deletes {@code id} (a tombstone version records it); false when {@code owner} cannot see it. */
    boolean delete(Owner owner, String id);

    /** Hands every history row to {@code sink}, by id then version. */
    void exportHistory(Consumer<HistoryEntry> sink);

    /** Adds the rows not yet present (by id and version) and brings each memory to its latest version. */
    ImportResult importHistory(List<HistoryEntry> entries);
}
