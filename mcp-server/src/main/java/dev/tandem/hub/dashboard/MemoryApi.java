package dev.tandem.hub.dashboard;

import dev.tandem.core.memory.InvalidMemoryException;
import dev.tandem.core.memory.Memory;
import dev.tandem.core.memory.MemoryNotFoundException;
import dev.tandem.core.memory.Scope;
import dev.tandem.core.memory.SearchHit;
import dev.tandem.hub.mcp.MemoryViews;
import dev.tandem.hub.memory.MemoryService;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/memories} (newest, or a full-text search with {@code q}; only those stored from {@code host} or of
 * {@code scope} when given) and {@code DELETE /api/memories/{id}}.
 * The person at the dashboard sees and may delete every memory, whichever engine stored it.
 */
final class MemoryApi {
    private final Optional<MemoryService> memories;

    MemoryApi(Optional<MemoryService> memories) {
        this.memories = memories;
    }

    void register(HttpRouting.Builder r) {
        r.get("/api/memories", this::list).delete("/api/memories/{id}", this::delete);
    }

    private void list(ServerRequest req, ServerResponse res) {
        int limit = Params.whole(req, "limit", 50, 1, 500);
        Optional<String> q = Params.text(req, "q");
        Optional<String> host = Params.text(req, "host");
        Optional<Scope> scope;
        try {
            scope = Params.text(req, "scope").map(Scope::parse);
        } catch (InvalidMemoryException e) {
            throw new BadRequestException(e.getMessage());
        }
        Optional<MemoryService> store = store(res);
        if (store.isEmpty()) {
            return;
        }
        MemoryService m = store.get();
        List<Memory> found;
        try {
            found = q.isPresent()
                    ? m.search(m.person(), q.get(), List.of(), scope, limit, host).stream()
                            .map(SearchHit::memory)
                            .toList()
                    : m.list(m.person(), List.of(), scope, 0, limit, host).items();
        } catch (InvalidMemoryException e) {
            throw new BadRequestException(e.getMessage());
        }
        Replies.ok(res, Map.of("memories", found.stream().map(MemoryViews::full).toList()));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        Optional<MemoryService> store = store(res);
        if (store.isEmpty()) {
            return;
        }
        try {
            store.get().delete(store.get().person(), id);
        } catch (MemoryNotFoundException | InvalidMemoryException e) {
            Replies.error(res, Status.NOT_FOUND_404, "no memory '" + id + "'");
            return;
        }
        Replies.ok(res, Map.of("deleted", id));
    }

    private Optional<MemoryService> store(ServerResponse res) {
        if (memories.isEmpty()) {
            Replies.error(res, Status.SERVICE_UNAVAILABLE_503, "this hub runs without the memory capability");
        }
        return memories;
    }
}
