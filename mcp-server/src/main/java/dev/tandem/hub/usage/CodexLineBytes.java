package dev.tandem.hub.usage;

import java.util.Optional;

/**
 * Reads the fields {@link CodexLog} needs straight from a Codex rollout line's bytes: the long strings (instructions,
 * messages, tool output) are passed over without being decoded. It is sure of a line, and reads it as Jackson (the
 * other path of {@link CodexLog}) does, under the rules of {@link LineBytes}; besides, {@code info}, a token usage,
 * {@code rate_limits}, a window and the numbers of a window may be {@code null}, as Codex writes them, and a window's
 * {@code used_percent} and reset times may have a fraction. {@code CodexLineBytesTest} compares the two on the real
 * CLI's rollouts and on generated lines.
 */
final class CodexLineBytes extends LineBytes {
    private static final byte[] TYPE = bytes("type");
    private static final byte[] TIMESTAMP = bytes("timestamp");
    private static final byte[] PAYLOAD = bytes("payload");
    private static final byte[] ID = bytes("id");
    private static final byte[] MODEL = bytes("model");
    private static final byte[] CWD = bytes("cwd");
    private static final byte[] INFO = bytes("info");
    private static final byte[] RATE_LIMITS = bytes("rate_limits");
    private static final byte[] LAST = bytes("last_token_usage");
    private static final byte[] TOTAL = bytes("total_token_usage");
    /** The counts of a token usage, in the order {@link CodexLog} keeps them. */
    private static final byte[][] COUNTS = {
        bytes("input_tokens"),
        bytes("cached_input_tokens"),
        bytes("output_tokens"),
        bytes("reasoning_output_tokens"),
        bytes("cache_write_input_tokens")
    };

    private static final byte[] PRIMARY = bytes("primary");
    private static final byte[] SECONDARY = bytes("secondary");
    private static final byte[] USED_PERCENT = bytes("used_percent");
    private static final byte[] WINDOW_MINUTES = bytes("window_minutes");
    private static final byte[] RESETS_AT = bytes("resets_at");
    private static final byte[] RESETS_IN = bytes("resets_in_seconds");

    /**
     * Reads the line {@code b[start, end)} into {@code l}; returns false when not sure (then {@code l} holds part of
     * the line and must be dropped).
     */
    boolean read(byte[] b, int start, int end, CodexLog.Line l) {
        return walk(b, start, end, () -> top(l));
    }

    private int top(CodexLog.Line l) {
        if (nameIs(TYPE)) {
            l.type = string();
            return 1;
        }
        if (nameIs(TIMESTAMP)) {
            l.timestamp = Optional.of(string());
            return 2;
        }
        if (nameIs(PAYLOAD)) {
            object(() -> payload(l));
            return 4;
        }
        value(0);
        return 0;
    }

    private int payload(CodexLog.Line l) {
        if (nameIs(TYPE)) {
            l.payloadType = string();
            return 1;
        }
        if (nameIs(ID)) {
            l.id = Optional.of(string());
            return 2;
        }
        if (nameIs(MODEL)) {
            l.model = Optional.of(string());
            return 4;
        }
        if (nameIs(CWD)) {
            l.cwd = Optional.of(string());
            return 8;
        }
        if (nameIs(INFO)) {
            if (!isNull()) { // null: a usage-limit answer
                l.infoPresent = true;
                object(() -> info(l));
            }
            return 16;
        }
        if (nameIs(RATE_LIMITS)) {
            if (!isNull()) {
                object(() -> rateLimit(l));
            }
            return 32;
        }
        value(1);
        return 0;
    }

    private int info(CodexLog.Line l) {
        if (nameIs(LAST)) {
            l.last = usage();
            return 1;
        }
        if (nameIs(TOTAL)) {
            l.totals = usage();
            return 2;
        }
        value(2);
        return 0;
    }

    /** A token usage as {input, cached, output, reasoning, cache writes}; null for {@code null}. */
    private long[] usage() {
        if (isNull()) {
            return null;
        }
        long[] u = new long[COUNTS.length];
        object(() -> count(u));
        return u;
    }

    private int count(long[] u) {
        for (int k = 0; k < COUNTS.length; k++) {
            if (nameIs(COUNTS[k])) {
                u[k] = number();
                return 1 << k;
            }
        }
        value(3);
        return 0;
    }

    /** A field of {@code rate_limits}: its primary and secondary windows; a null one was not reported this time. */
    private int rateLimit(CodexLog.Line l) {
        String name = nameIs(PRIMARY) ? "primary" : nameIs(SECONDARY) ? "secondary" : null;
        if (name == null) {
            value(2);
            return 0;
        }
        if (!isNull()) {
            CodexLog.Window w = new CodexLog.Window();
            object(() -> window(w));
            l.windows.put(name, w);
        }
        return name.equals("primary") ? 1 : 2;
    }

    private int window(CodexLog.Window w) {
        if (nameIs(USED_PERCENT)) {
            w.usedPercent = isNull() ? Optional.empty() : Optional.of(decimal());
            return 1;
        }
        if (nameIs(WINDOW_MINUTES)) {
            w.windowMinutes = isNull() ? 0 : number();
            return 2;
        }
        if (nameIs(RESETS_AT)) {
            w.resetsAt = seconds();
            return 4;
        }
        if (nameIs(RESETS_IN)) {
            w.resetsInSeconds = seconds();
            return 8;
        }
        value(3);
        return 0;
    }

    /** A number of seconds, a fraction cut as Jackson's reading cuts it. */
    private Optional<Long> seconds() {
        return isNull() ? Optional.empty() : Optional.of((long) decimal());
    }
}
