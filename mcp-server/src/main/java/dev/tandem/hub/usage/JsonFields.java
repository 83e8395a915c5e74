package dev.tandem.hub.usage;

import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
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

    /** Returns an ISO-8601 instant, or empty when the text is none. */
    static Optional<Instant> instant(Optional<String> text) {
        try {
            return text.map(Instant::parse);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
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
