package dev.tandem.hub.logging;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;

/**
 * The hub's log format: one line per record, {@code key=value} pairs that grep and log shippers read:
 * {@code time=2026-12-06T16:12:15.123Z level=WARN logger=dev.tandem.hub.Hub msg="…" error="IOException: …"}.
 * Line breaks in a message or an exception are escaped, so a record never spans lines, and so are other control and
 * format characters (ESC, C1, bidi overrides), so a line printed on a terminal cannot act on it. Bearer tokens and every
 * secret registered with {@link #redact(String)} are replaced by {@code [redacted]} before the line is written.
 */
public final class OneLineFormatter extends Formatter {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT.withZone(ZoneOffset.UTC);
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+");
    private static final String REDACTED = "[redacted]";
    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

    /** Registers a secret (the hub's token) that no log line may contain. */
    public static void redact(String secret) {
        if (secret != null && secret.length() >= 8) {
            SECRETS.add(secret);
        }
    }

    /** Returns the level name the hub logs: ERROR, WARN, INFO, DEBUG or TRACE. */
    static String level(Level level) {
        int v = level.intValue();
        if (v >= Level.SEVERE.intValue()) {
            return "ERROR";
        }
        if (v >= Level.WARNING.intValue()) {
            return "WARN";
        }
        if (v >= Level.INFO.intValue()) {
            return "INFO";
        }
        return v >= Level.FINE.intValue() ? "DEBUG" : "TRACE";
    }

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(160);
        line.append("time=")
                .append(TIME.format(Instant.ofEpochMilli(record.getInstant().toEpochMilli())));
        line.append(" level=").append(level(record.getLevel()));
        line.append(" logger=").append(record.getLoggerName() == null ? "-" : record.getLoggerName());
        line.append(" msg=").append(quote(formatMessage(record)));
        Throwable thrown = record.getThrown();
        if (thrown != null) {
            line.append(" error=").append(quote(chain(thrown)));
        }
        return line.append(System.lineSeparator()).toString();
    }

    /** The exception and its causes, {@code Type: message <- Type: message}, and where the first was thrown. */
    private static String chain(Throwable thrown) {
        StringBuilder s = new StringBuilder();
        int depth = 0;
        for (Throwable t = thrown; t != null && depth < 8; t = t.getCause(), depth++) {
            if (depth > 0) {
                s.append(" <- ");
            }
            s.append(t.getClass().getName());
            if (t.getMessage() != null) {
                s.append(": ").append(t.getMessage());
            }
        }
        StackTraceElement[] at = thrown.getStackTrace();
        if (at.length > 0) {
            s.append(" at ").append(at[0]);
        }
        return s.toString();
    }

    private static String quote(String value) {
        String v = value == null ? "" : value;
        v = BEARER.matcher(v).replaceAll("$1" + REDACTED);
        for (String secret : SECRETS) {
            v = v.replace(secret, REDACTED);
        }
        StringBuilder q = new StringBuilder(v.length() + 2).append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\r' -> q.append("\\r");
                case '\t' -> q.append("\\t");
                default -> {
                    // C0 and C1 controls, DEL, bidi and zero-width characters: a message may carry a file name from
                    // a log folder, and warnings are printed on the terminal (tandem usage)
                    int type = Character.getType(c);
                    if (type == Character.CONTROL
                            || type == Character.FORMAT
                            || type == Character.LINE_SEPARATOR
                            || type == Character.PARAGRAPH_SEPARATOR) {
                        q.append(String.format("\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }
}
