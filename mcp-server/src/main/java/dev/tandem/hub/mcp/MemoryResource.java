package dev.tandem.hub.mcp;

import dev.tandem.core.memory.InvalidMemoryException;
import dev.tandem.core.memory.Memory;
import dev.tandem.core.memory.MemoryNotFoundException;
import dev.tandem.core.store.StoreException;
import dev.tandem.hub.memory.MemoryService;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Optional;

/** The resource template {@code memory://{id}}: a memory's current version as Markdown. */
final class MemoryResource {
    static final String PREFIX = "memory://";

    private final MemoryService memories;

    MemoryResource(MemoryService memories) {
        this.memories = memories;
    }

    McpServerFeatures.SyncResourceTemplateSpecification specification() {
        McpSchema.ResourceTemplate template = McpSchema.ResourceTemplate.builder(PREFIX + "{id}", "memory")
                .title("Memory")
                .description("A stored memory by id, as Markdown (title as heading, then the content).")
                .mimeType("text/markdown")
                .build();
        return new McpServerFeatures.SyncResourceTemplateSpecification(template, this::read);
    }

    private McpSchema.ReadResourceResult read(McpSyncServerExchange exchange, McpSchema.ReadResourceRequest request) {
        String uri = request.uri();
        if (!uri.startsWith(PREFIX)) {
            throw McpError.RESOURCE_NOT_FOUND.apply(uri);
        }
        String id = uri.substring(PREFIX.length());
        Memory m;
        try {
            m = memories.retrieve(
                    memories.owner(
                            Caller.of(exchange).engine(), Caller.of(exchange).host()),
                    id,
                    Optional.empty());
        } catch (InvalidMemoryException | MemoryNotFoundException e) {
            throw McpError.RESOURCE_NOT_FOUND.apply(uri);
        } catch (StoreException e) {
            throw McpError.builder(McpSchema.ErrorCodes.INTERNAL_ERROR)
                    .message("the memory store failed: " + e.getMessage())
                    .build();
        }
        McpSchema.TextResourceContents text = McpSchema.TextResourceContents.builder(uri, MemoryViews.markdown(m))
                .mimeType("text/markdown")
                .build();
        return McpSchema.ReadResourceResult.builder(List.of(text)).build();
    }
}
