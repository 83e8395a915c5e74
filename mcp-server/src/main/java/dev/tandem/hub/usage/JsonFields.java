package dev.tandem.hub.usage;

import java.io.InputStream;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Optional;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;

/**
 * Streams through one JSON log line, handing each field of an object to a handler and skipping, without keeping
 * them, the values no handler takes (prompts, tool output, file contents): a line's size never becomes memory.
 */
final class JsonFields {
    /** Handles one field; the parser stands on its value. Returns false to have the value skipped. */
    @FunctionalInterface
    interface Field {
        boolean value(String name, JsonToken token);
    }

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxDocumentLength(-1)
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNestingDepth(1000)
                    .build())
            .build();

    private JsonFields() {}

    static JsonParser parser(byte[] b, int start, int end) {
        return FACTORY.createParser(ObjectReadContext.empty(), b, start, end - start);
    }

    static JsonParser parser(InputStream in) {
        return FACTORY.createParser(ObjectReadContext.empty(), in);
    }

    /** Walks the object the parser stands on ({@code START_OBJECT}), field by field; anything else is skipped. */
    static void object(JsonParser p, Field f) {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            if (!f.value(name, t)) {
                p.skipChildren();
            }
        }
    }

    /** Returns the string the parser stands on, or empty for any other value. */
    static Optional<String> string(JsonParser p, JsonToken t) {
        return t == JsonToken.VALUE_STRING ? Optional.of(p.getString()) : Optional.empty();
    }

    /** Returns the whole number the parser stands on (a fraction is cut), or 0 for any other value. */
    static long number(JsonParser p, JsonToken t) {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return Math.max(0, p.getValueAsLong());
        }
        if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            return Math.max(0, (long) p.getDoubleValue());
        }
        return 0;
    }

    /** Returns the number the parser stands on, or empty for any other value. */
    static Optional<Double> decimal(JsonParser p, JsonToken t) {
        return t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT
                ? Optional.of(p.getDoubleValue())
                : Optional.empty();
    }

    /**
     * Returns an ISO-8601 instant, or empty when the text is none. The form both engines write
     * ({@code 2026-12-06T09:47:37.176Z}) is read directly; any other goes through {@link Instant#parse}.
     */
    static Optional<Instant> instant(Optional<String> text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String t = text.get();
        long fast = utcMillis(t);
        if (fast != Long.MIN_VALUE) {
            return Optional.of(Instant.ofEpochMilli(fast));
        }
        try {
            return Optional.of(Instant.parse(t));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Reads {@code YYYY-MM-DDTHH:MM:SS[.f…]Z} as epoch milliseconds; Long.MIN_VALUE for any other text. */
    static long utcMillis(String t) {
        int n = t.length();
        if (n < 20
                || n > 30
                || t.charAt(4) != '-'
                || t.charAt(7) != '-'
                || t.charAt(10) != 'T'
                || t.charAt(13) != ':'
                || t.charAt(16) != ':'
                || t.charAt(n - 1) != 'Z') {
            return Long.MIN_VALUE;
        }
        int millis = 0;
        if (n > 20) {
            if (t.charAt(19) != '.' || n == 21) {
                return Long.MIN_VALUE;
            }
            for (int i = 20; i < n - 1; i++) {
                char c = t.charAt(i);
                if (c < '0' || c > '9') {
                    return Long.MIN_VALUE;
                }
                if (i < 23) { // the first three digits of the fraction are the milliseconds
                    millis = millis * 10 + (c - '0');
                }
            }
            for (int i = n - 1; i < 23; i++) {
                millis *= 10;
            }
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return Long.MIN_VALUE;
        }
        try {
            long days = LocalDate.of(year, month, day).toEpochDay();
            return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
        } catch (DateTimeException e) {
            return Long.MIN_VALUE; // the 31st of a short month
        }
    }

    private static int digits(String t, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /**
     * Finds the string value that follows the first {@code key} in {@code b[from, to)}; {@code key} ends with the
     * value's opening quote (e.g. {@code "type":"}). Returns the value's end (its closing quote) and puts its start
     * into {@code start[0]}; -1 when the key is not there, or the value holds an escape or does not end before
     * {@code to}.
     */
    static int valueEnd(byte[] b, int from, int to, byte[] key, int[] start) {
        int k = indexOf(b, from, to, key);
        if (k < 0) {
            return -1;
        }
        start[0] = k + key.length;
        for (int i = start[0]; i < to; i++) {
            if (b[i] == '"') {
                return i;
            }
            if (b[i] == '\\') {
                return -1;
            }
        }
        return -1;
    }

    /** Returns whether {@code b[start, end)} holds exactly {@code text}. */
    static boolean equals(byte[] b, int start, int end, byte[] text) {
        return Arrays.equals(b, start, end, text, 0, text.length);
    }

    /** Returns the index of {@code needle} in {@code b[from, to)}, or -1. */
    static int indexOf(byte[] b, int from, int to, byte[] needle) {
        byte first = needle[0];
        int max = to - needle.length;
        outer:
        for (int i = from; i <= max; i++) {
            if (b[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (b[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
