package dev.tandem.hub.telemetry;

import dev.tandem.core.cli.TerminalText;

/**
 * Bounds what an agent chose before it is stored as telemetry or grouped by the overview: a client's name, a tool
 * name the hub does not have, an error's reason. Each is cut to a fixed length and its control and format characters
 * are escaped ({@link TerminalText#safe}), so neither the store nor the dashboard grows with what a request sent, and
 * a value cannot act on a terminal or hide what it says.
 */
public final class TelemetryText {
    /** The prefix of a target the hub has not registered: {@code unknown:} and the first characters of the name. */
    public static final String UNKNOWN = "unknown:";
    /** The most characters of an unregistered name kept after {@link #UNKNOWN}, before escaping. */
    public static final int MAX_UNKNOWN_CHARS = 100;
    /** The most characters of a target the overview groups by (a row stored before targets were bounded). */
    public static final int MAX_TARGET_CHARS = 256;

    private TelemetryText() {}

    /**
     * Returns {@code s} with its control and format characters escaped, cut to at most {@code max} characters; a cut
     * value ends in {@code …}. Only the first {@code max} characters of {@code s} are read, however long it is.
     */
    public static String bounded(String s, int max) {
        boolean cut = s.length() > max;
        String head = cut ? s.substring(0, end(s, max)) : s;
        String safe = TerminalText.safe(head);
        if (!cut && safe.length() <= max) {
            return safe;
        }
        return safe.substring(0, end(safe, Math.min(safe.length(), max - 1))) + "…";
    }

    /** Returns how a target the hub has not registered is recorded: {@code unknown:} and its bounded start. */
    public static String unknown(String target) {
        return UNKNOWN + bounded(target, MAX_UNKNOWN_CHARS);
    }

    /** Returns {@code n}, or {@code n - 1} when {@code n} would split a surrogate pair of {@code s}. */
    private static int end(String s, int n) {
        return n > 0 && n < s.length() && Character.isHighSurrogate(s.charAt(n - 1)) ? n - 1 : n;
    }
}
