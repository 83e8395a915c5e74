package dev.tandem.hub.usage;

import java.io.StringWriter;
import java.util.Collection;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.CharacterEscapes;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.DefaultPrettyPrinter;

/**
 * Writes the JSON values {@link ReportJson} and the Codex cursors' state are made of (maps, collections, strings,
 * numbers, booleans, nulls, {@code long[]}) with Jackson's streaming generator: the same text a databind mapper
 * writes for them ({@code JsonValueWriterTest} compares the two), without building one. A cold {@code tandem usage} run
 * initialised some 260 databind classes and built three mappers for these few values alone.
 *
 * <p>Strings come from logs (model names, session ids, folders): besides the C0 controls JSON requires escaped, DEL,
 * the C1 controls and the format, line and paragraph separator characters (bidi overrides, zero-width characters,
 * U+2028) are written as <code>&#92;uXXXX</code> too, so {@code --json} printed on a terminal, or through a tool that prints
 * strings as they are, carries none of them raw. The JSON means the same: a parser reads the same strings.
 */
public final class JsonValueWriter {
    private static final JsonFactory FACTORY =
            JsonFactory.builder().characterEscapes(new TerminalEscapes()).build();

    /** The write context of {@code SerializationFeature.INDENT_OUTPUT}: a new default pretty printer. */
    private static final ObjectWriteContext INDENTED = new ObjectWriteContext.Base() {
        @Override
        public PrettyPrinter getPrettyPrinter() {
            return new DefaultPrettyPrinter();
        }

        @Override
        public boolean hasPrettyPrinter() {
            return true;
        }
    };

    private JsonValueWriter() {}

    /** Returns {@code value} as compact JSON. */
    public static String compact(Object value) {
        return write(ObjectWriteContext.empty(), value);
    }

    /** Returns {@code value} as indented JSON, as a mapper with {@code INDENT_OUTPUT} writes it. */
    public static String indented(Object value) {
        return write(INDENTED, value);
    }

    private static String write(ObjectWriteContext context, Object value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(context, out)) {
            value(g, value);
        }
        return out.toString();
    }

    private static void value(JsonGenerator g, Object v) {
        switch (v) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case Double d -> g.writeNumber(d);
            case Boolean b -> g.writeBoolean(b);
            case Map<?, ?> m -> {
                g.writeStartObject(m);
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    g.writeName(String.valueOf(e.getKey()));
                    value(g, e.getValue());
                }
                g.writeEndObject();
            }
            case Collection<?> c -> {
                g.writeStartArray(c, c.size());
                for (Object o : c) {
                    value(g, o);
                }
                g.writeEndArray();
            }
            case long[] a -> {
                g.writeStartArray(a, a.length);
                for (long n : a) {
                    g.writeNumber(n);
                }
                g.writeEndArray();
            }
            default ->
                throw new IllegalArgumentException(
                        "no JSON form for " + v.getClass().getName());
        }
    }

    /** JSON's own escapes, and <code>&#92;uXXXX</code> for DEL, C1 controls and format or separator characters. */
    private static final class TerminalEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private static final int[] ASCII = standardAsciiEscapesForJSON();

        static {
            ASCII[0x7f] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ASCII;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return switch (Character.getType(ch)) {
                case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR ->
                    new SerializedString(String.format("\\u%04X", ch));
                default -> null;
            };
        }
    }
}
