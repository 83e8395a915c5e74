package dev.tandem.hub.usage;

import dev.tandem.core.usage.DamagedResponse;
import dev.tandem.core.usage.RateLimit;
import dev.tandem.core.usage.Tokens;
import dev.tandem.core.usage.ToolUse;
import dev.tandem.core.usage.UsageEvent;
import java.util.List;
import tools.jackson.core.JsonParser;

/**
 * How one engine's log lines become ledger entries. One instance reads one file, from where the last read stopped,
 * and remembers what going on from there needs ({@link #state}).
 */
interface LogFormat {
    /** More tokens of a kind than any response has ({@link Tokens#MAX_PER_RESPONSE}): a line that says so is damaged. */
    long MAX_TOKENS = Tokens.MAX_PER_RESPONSE;

    /**
     * The longest session id, model name and working folder taken from a line or a stored state: the bounds the fleet
     * hub holds a pushed response to, so what is read here is never refused there. The engines' session ids are
     * UUIDs, their models short names, a folder at most PATH_MAX (4096 bytes on Linux); a longer value is damaged,
     * so neither a log nor a stored state can make every response of a file carry megabytes.
     */
    int MAX_SESSION = 256;

    int MAX_MODEL = 128;
    int MAX_CWD = 4096;

    /** Whether a complete line may carry something this format reads; judged on its raw bytes. */
    boolean wanted(byte[] b, int start, int end);

    /** Whether a line longer than the read buffer, which begins with {@code b[start, end)}, may. */
    boolean wantedLong(byte[] b, int start, int end);

    /**
     * Reads one wanted line from a parser that has not moved yet; a line that is no JSON object or lacks what is
     * needed adds nothing. {@code offset} is where the line begins in its file.
     */
    void read(JsonParser p, long offset);

    /**
     * Reads one wanted line {@code b[start, end)} from its bytes, when the format can be sure of reading it as
     * {@link #read(JsonParser, long)} would; returns false to have it read by that instead (nothing was added).
     */
    default boolean read(byte[] b, int start, int end, long offset) {
        return false;
    }

    /** Takes what was read since the last call. */
    Found drain();

    /** Returns what reading on from the current line needs, as JSON (stored with the file's cursor). */
    String state();

    /**
     * What a stretch of a log held.
     *
     * @param events model responses
     * @param limits rate-limit windows
     * @param toolUses MCP tool calls
     * @param damaged responses whose lines claim more tokens than any response has: not counted
     */
    record Found(List<UsageEvent> events, List<RateLimit> limits, List<ToolUse> toolUses, List<Damaged> damaged) {
        public Found {
            events = List.copyOf(events);
            limits = List.copyOf(limits);
            toolUses = List.copyOf(toolUses);
            damaged = List.copyOf(damaged);
        }
    }

    /**
     * A response left out because its line is damaged, and where that line begins in its file (for the warning that
     * names the file; the line's content is never shown: it may hold anything).
     *
     * @param response what is kept of it
     * @param offset the byte its line begins at
     */
    record Damaged(DamagedResponse response, long offset) {}
}
