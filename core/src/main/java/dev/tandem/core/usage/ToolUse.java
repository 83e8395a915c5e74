package dev.tandem.core.usage;

import java.time.Instant;
import java.util.Objects;

/**
 * An MCP tool call an engine's log shows, by the call id it also sends the hub.
 *
 * @param engine the engine
 * @param callId the call's id (Claude Code: the {@code tool_use} id)
 * @param session the session that made the call
 * @param tool the tool as the engine names it ({@code mcp__tandem__fs_read})
 * @param at when the model asked for it
 */
public record ToolUse(String engine, String callId, String session, String tool, Instant at) {
    public ToolUse {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(at, "at");
    }
}
