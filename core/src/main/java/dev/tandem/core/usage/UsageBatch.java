package dev.tandem.core.usage;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one read of one log file found, written in one transaction: the events, rate limits and tool calls, and the
 * file's cursor moved from {@code from} to {@code to}.
 *
 * @param from where the reader started: the cursor it found in the store, empty when there was none
 * @param to where it stopped
 * @param events the responses read
 * @param limits the rate-limit windows read
 * @param toolUses the MCP tool calls read
 * @param damaged the responses read whose token counts no response has: not counted, but kept so reports say so
 *     (none when a sender leaves the field out: a machine of an older version pushing its usage)
 */
public record UsageBatch(
        Optional<FileCursor> from,
        FileCursor to,
        List<UsageEvent> events,
        List<RateLimit> limits,
        List<ToolUse> toolUses,
        List<DamagedResponse> damaged) {
    public UsageBatch {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        events = List.copyOf(events);
        limits = List.copyOf(limits);
        toolUses = List.copyOf(toolUses);
        damaged = damaged == null ? List.of() : List.copyOf(damaged);
    }

    /**
     * Returns how many responses it carries, damaged ones included: what a fleet push's per-request limit counts, on
     * the machine that splits its pushes and on the hub that holds them to it alike.
     */
    public int responses() {
        return events.size() + damaged.size();
    }

    /** A batch without damaged responses. */
    public UsageBatch(
            Optional<FileCursor> from,
            FileCursor to,
            List<UsageEvent> events,
            List<RateLimit> limits,
            List<ToolUse> toolUses) {
        this(from, to, events, limits, toolUses, List.of());
    }
}
