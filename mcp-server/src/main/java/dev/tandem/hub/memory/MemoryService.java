package dev.tandem.hub.memory;

import dev.tandem.core.memory.HistoryEntry;
import dev.tandem.core.memory.ImportResult;
import dev.tandem.core.memory.InvalidMemoryException;
import dev.tandem.core.memory.ListQuery;
import dev.tandem.core.memory.Memory;
import dev.tandem.core.memory.MemoryDraft;
import dev.tandem.core.memory.MemoryNotFoundException;
import dev.tandem.core.memory.MemoryRepository;
import dev.tandem.core.memory.Owner;
import dev.tandem.core.memory.Page;
import dev.tandem.core.memory.Scope;
import dev.tandem.core.memory.SearchHit;
import dev.tandem.core.memory.SearchQuery;
import dev.tandem.core.store.Store;
import dev.tandem.core.telemetry.CommandUse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The memory store's rules (limits, summaries, tag spelling) in front of a {@link MemoryRepository}. */
public final class MemoryService implements AutoCloseable {
    static final int MAX_TITLE_CHARS = 200;
    static final int MAX_TAGS = 32;
    static final int MAX_TAG_CHARS = 64;
    static final int MAX_QUERY_CHARS = 1000;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private final Store store;
    private final MemoryRepository repository;
    private final MemorySettings settings;

    /** Serves memories from {@code store}, which it closes when closed. */
    public MemoryService(Store store, MemorySettings settings) {
        this.store = store;
        this.repository = store.memories();
        this.settings = settings;
    }

    /** Opens (creating or migrating) the store the settings name. */
    public static MemoryService open(MemorySettings settings) {
        return new MemoryService(Store.open(settings.store()), settings);
    }

    public MemorySettings settings() {
        return settings;
    }

    /** Returns the owner for a caller of {@code engine} on this hub's host. */
    public Owner owner(String engine) {
        return new Owner(engine, settings.host());
    }

    /**
     * Returns the owner for a caller of {@code engine} on {@code host}: an enrolled fleet host's own (its engines'
     * {@code client} memories are theirs, not the hub machine's), or this hub's host when {@code host} is blank.
     */
    public Owner owner(String engine, String host) {
        return new Owner(engine, host.isBlank() ? settings.host() : host);
    }

    /** Returns the person at the dashboard on this hub's host, who sees every memory. */
    public Owner person() {
        return Owner.person(settings.host());
    }

    /** Records a use of the skill or command {@code slug} (what {@code log_command} reports). */
    public CommandUse logCommand(Owner owner, String client, String slug) {
        if (!SLUG.matcher(slug).matches()) {
            throw new InvalidMemoryException("slug must be 1-64 characters of a-z, 0-9, '.', '_' or '-', got: " + slug);
        }
        return store.commandLog().record(owner, client, slug);
    }

    /** Stores a new memory, or the next version of {@code request.id()}. */
    public Memory store(Owner owner, StoreRequest request) {
        String content = request.content();
        if (content.isBlank()) {
            throw new InvalidMemoryException("content is empty");
        }
        int bytes = content.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > settings.maxBytes()) {
            throw new InvalidMemoryException("content is " + bytes + " bytes; the limit is " + settings.maxBytes()
                    + " ([memory] max_bytes): split it into several memories");
        }
        Optional<String> title = request.title().map(String::strip);
        if (title.isPresent() && hasControl(title.get())) {
            throw new InvalidMemoryException("title contains a control character");
        }
        if (title.isPresent() && title.get().length() > MAX_TITLE_CHARS) {
            throw new InvalidMemoryException(
                    "title is " + title.get().length() + " characters; the limit is " + MAX_TITLE_CHARS);
        }
        String summary = Summaries.of(request.summary().orElse(""), content);
        Optional<List<String>> tags = request.tags().map(MemoryService::tags);
        if (request.id().isEmpty()) {
            return repository.insert(
                    owner,
                    new MemoryDraft(
                            content,
                            title.orElse(""),
                            summary,
                            tags.orElse(List.of()),
                            request.scope().orElse(Scope.CLIENT)));
        }
        return repository.update(
                owner,
                id(request.id().get()),
                current -> new MemoryDraft(
                        content,
                        title.orElse(current.title()),
                        summary,
                        tags.orElse(current.tags()),
                        request.scope().orElse(current.scope())));
    }

    /** Returns the best matches for the query's words; thrown {@link InvalidMemoryException} if it has none. */
    public List<SearchHit> search(Owner owner, String text, List<String> tags, Optional<Scope> scope, int limit) {
        return search(owner, text, tags, scope, limit, Optional.empty());
    }

    /** Returns the best matches stored from {@code host} (every host when empty) for the query's words. */
    public List<SearchHit> search(
            Owner owner, String text, List<String> tags, Optional<Scope> scope, int limit, Optional<String> host) {
        if (text.length() > MAX_QUERY_CHARS) {
            throw new InvalidMemoryException("query is longer than " + MAX_QUERY_CHARS + " characters");
        }
        if (!SearchQuery.hasWord(text)) {
            throw new InvalidMemoryException("query '" + text + "' has no word to search for");
        }
        return repository.search(owner, new SearchQuery(text, tags(tags), scope, limit, host));
    }

    /** Returns the current version of {@code id}, or version {@code version} when given. */
    public Memory retrieve(Owner owner, String id, Optional<Integer> version) {
        String checked = id(id);
        Optional<Memory> found = version.isPresent()
                ? repository.findVersion(owner, checked, version.get())
                : repository.find(owner, checked);
        return found.orElseThrow(() -> version.isPresent()
                ? new InvalidMemoryException("memory '" + id + "' has no version " + version.get())
                : new MemoryNotFoundException(id));
    }

    /** Returns a page of memories, most recently updated first. */
    public Page list(Owner owner, List<String> tags, Optional<Scope> scope, int offset, int limit) {
        return list(owner, tags, scope, offset, limit, Optional.empty());
    }

    /** Returns a page of the memories stored from {@code host} (every host when empty), most recently updated first. */
    public Page list(
            Owner owner, List<String> tags, Optional<Scope> scope, int offset, int limit, Optional<String> host) {
        return repository.list(owner, new ListQuery(tags(tags), scope, offset, limit, host));
    }

    /** Deletes {@code id}; thrown {@link MemoryNotFoundException} when the caller cannot see it. */
    public void delete(Owner owner, String id) {
        if (!repository.delete(owner, id(id))) {
            throw new MemoryNotFoundException(id);
        }
    }

    public void exportHistory(java.util.function.Consumer<HistoryEntry> sink) {
        repository.exportHistory(sink);
    }

    public ImportResult importHistory(List<HistoryEntry> entries) {
        return repository.importHistory(entries);
    }

    /** Returns whether {@code s} holds a control character (NUL, escape, …), which no title or tag needs. */
    private static boolean hasControl(String s) {
        return s.chars().anyMatch(Character::isISOControl);
    }

    /** Returns {@code id} if it is well formed (letters, digits, {@code _}, {@code -}; at most 64). */
    static String id(String id) {
        if (!ID.matcher(id).matches()) {
            throw new InvalidMemoryException("id '" + id + "' is not a memory id (letters, digits, _ and -)");
        }
        return id;
    }

    /** Returns the tags stripped, lower-cased and without duplicates. */
    static List<String> tags(List<String> tags) {
        Set<String> out = new LinkedHashSet<>();
        for (String tag : tags) {
            String t = tag.strip().toLowerCase(Locale.ROOT);
            if (t.isEmpty()
                    || t.length() > MAX_TAG_CHARS
                    || t.chars().anyMatch(Character::isWhitespace)
                    || hasControl(t)) {
                throw new InvalidMemoryException(
                        "tag '" + tag + "' must be 1 to " + MAX_TAG_CHARS + " characters without spaces");
            }
            out.add(t);
        }
        if (out.size() > MAX_TAGS) {
            throw new InvalidMemoryException("at most " + MAX_TAGS + " tags, got " + out.size());
        }
        return List.copyOf(out);
    }

    @Override
    public void close() {
        store.close();
    }
}
