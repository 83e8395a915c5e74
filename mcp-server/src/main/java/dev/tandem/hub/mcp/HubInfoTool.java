package dev.tandem.hub.mcp;

import dev.tandem.hub.HubVersion;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** {@code hub_info}: the hub's version, uptime, the caller as the hub sees it, and the configured capabilities. */
final class HubInfoTool {
    static final String NAME = "hub_info";
    private static final String OUTPUT_SCHEMA = """
            {"type":"object","properties":{
              "version":{"type":"string"},
              "started":{"type":"string","description":"ISO-8601 start time"},
              "uptimeSeconds":{"type":"integer"},
              "caller":{"type":"object","properties":{
                "clientName":{"type":"string"},"clientVersion":{"type":"string"},"engine":{"type":"string"},"credential":{"type":"string"},"host":{"type":"string"},
                "remoteAddress":{"type":"string"},"sessionId":{"type":"string"},"protocolVersion":{"type":"string"}}},
              "capabilities":{"type":"array","items":{"type":"object","properties":{
                "name":{"type":"string"},"tools":{"type":"array","items":{"type":"string"}}}}}},
             "required":["version","uptimeSeconds","caller","capabilities"]}
            """;

    private final Clock clock;
    private final Instant started;
    private final Supplier<List<Capability>> capabilities;

    HubInfoTool(Clock clock, Supplier<List<Capability>> capabilities) {
        this.clock = clock;
        this.started = clock.instant();
        this.capabilities = capabilities;
    }

    McpServerFeatures.SyncToolSpecification specification() {
        return ToolSpecs.declare(
                NAME,
                "Hub info",
                "Returns the Tandem hub's version, uptime, how it sees the caller (credential and engine, client name, "
                        + "version, address, session) and which capabilities are configured.",
                ToolSpecs.NO_ARGUMENTS,
                OUTPUT_SCHEMA,
                ToolSpecs.READ_ONLY,
                this::call);
    }

    private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        Caller caller = Caller.of(exchange);
        Map<String, Object> who = new LinkedHashMap<>();
        who.put("clientName", caller.clientName());
        who.put("clientVersion", caller.clientVersion());
        who.put("engine", caller.engine());
        who.put("credential", caller.credential().label());
        who.put("host", caller.host());
        who.put("remoteAddress", caller.remoteAddress());
        who.put("sessionId", caller.sessionId());
        who.put("protocolVersion", caller.protocolVersion());
        List<Map<String, Object>> caps = capabilities.get().stream()
                .map(c -> Map.<String, Object>of(
                        "name",
                        c.name(),
                        "tools",
                        c.tools().stream().map(t -> t.tool().name()).toList()))
                .toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", HubVersion.get());
        out.put("started", started.toString());
        out.put("uptimeSeconds", Duration.between(started, clock.instant()).toSeconds());
        out.put("caller", who);
        out.put("capabilities", caps);
        return ToolResults.structured(out);
    }
}
