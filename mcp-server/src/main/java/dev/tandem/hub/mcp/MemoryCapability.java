package dev.tandem.hub.mcp;

import dev.tandem.core.config.HubConfig;
import dev.tandem.hub.memory.MemoryService;
import dev.tandem.hub.memory.MemorySettings;
import io.modelcontextprotocol.server.McpServerFeatures;
import java.util.List;

/** The memory store's MCP face: {@code memory_*} tools and the {@code memory://{id}} resource template. */
public final class MemoryCapability implements Capability {
    private final MemoryService memories;
    private final List<McpServerFeatures.SyncToolSpecification> tools;
    private final McpServerFeatures.SyncResourceTemplateSpecification resource;

    MemoryCapability(MemoryService memories) {
        this.memories = memories;
        this.tools = List.of(
                new MemoryStoreTool(memories).specification(),
                new MemorySearchTool(memories).specification(),
                new MemoryRetrieveTool(memories).specification(),
                new MemoryListTool(memories).specification(),
                new MemoryDeleteTool(memories).specification());
        this.resource = new MemoryResource(memories).specification();
    }

    /** Opens {@code <data dir>/memory.db} with the {@code [memory]} settings. */
    public static MemoryCapability create(HubConfig config) {
        return new MemoryCapability(MemoryService.open(MemorySettings.from(config)));
    }

    /** Returns the store, shared with the telemetry capability. */
    public MemoryService service() {
        return memories;
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public List<McpServerFeatures.SyncToolSpecification> tools() {
        return tools;
    }

    @Override
    public List<McpServerFeatures.SyncResourceTemplateSpecification> resourceTemplates() {
        return List.of(resource);
    }

    @Override
    public void close() {
        memories.close();
    }
}
