package dev.tandem.hub.mcp;

import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One group of the hub's MCP features (fs, git, memory, …): its tools, resources, prompts and completions.
 *
 * <p>A capability's service knows nothing of MCP; this adapter is where its tools are declared.
 */
public interface Capability extends AutoCloseable {
    /** Returns the short name reported by {@code hub_info} ({@code fs}, {@code git}, …). */
    String name();

    default List<McpServerFeatures.SyncToolSpecification> tools() {
        return List.of();
    }

    default List<McpServerFeatures.SyncResourceSpecification> resources() {
        return List.of();
    }

    default List<McpServerFeatures.SyncResourceTemplateSpecification> resourceTemplates() {
        return List.of();
    }

    default List<McpServerFeatures.SyncPromptSpecification> prompts() {
        return List.of();
    }

    default List<McpServerFeatures.SyncCompletionSpecification> completions() {
        return List.of();
    }

    /**
     * Returns the tools that bound their own run time (a task's configured timeout), by name, with the longest a
     * call may take; every other tool has the hub's deadline ({@code [hub] tool_timeout_seconds}).
     */
    default Map<String, Duration> ownDeadlines() {
        return Map.of();
    }

    /**
     * Returns the tools that answer with a task handle (Tasks extension of MCP 2026-07-28) when the request
     * declares the extension; every other tool answers in the call itself.
     */
    default java.util.Set<String> taskTools() {
        return java.util.Set.of();
    }

    /** Called once the server is built, for capabilities that send list-changed notifications. */
    default void attach(McpSyncServer server) {}

    /**
     * Called once the hub listens, for background work that need not delay the first answer (a poller's first
     * round); a request that needs that work waits for it itself.
     */
    default void listening() {}

    /**
     * Called first when the hub stops, while it still answers: ends work in flight that must not outlive the hub
     * (a task's processes), so a caller still connected hears why its call ended.
     */
    default void stopping() {}

    @Override
    default void close() {}
}
