package dev.tandem.hub.mcp;

import dev.tandem.hub.memory.MemoryService;
import io.modelcontextprotocol.server.McpServerFeatures;
import java.util.List;

/** Telemetry: {@code log_command}, kept in the hub's store beside the memories (the memory capability owns it). */
final class TelemetryCapability implements Capability {
    private final List<McpServerFeatures.SyncToolSpecification> tools;

    TelemetryCapability(MemoryService store) {
        this.tools = List.of(new LogCommandTool(store).specification());
    }

    @Override
    public String name() {
        return "telemetry";
    }

    @Override
    public List<McpServerFeatures.SyncToolSpecification> tools() {
        return tools;
    }
}
