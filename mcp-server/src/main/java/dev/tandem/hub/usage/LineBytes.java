package dev.tandem.hub.usage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Walks one JSON log line's bytes for a reader that keeps a few of its fields ({@link ClaudeLineBytes},
 * {@link CodexLineBytes}), without tokenizing what it does not keep: long strings are passed over eight bytes at a
 * time. A reader is sure of a line only where Jackson's reading (the other path of its log format) gives the same
 * values: strict JSON (the grammar's numbers, escapes, whitespace, valid UTF-8, nesting under 500 levels), each field
 * it keeps in the type it expects, given once, without escapes in its name or value, whole numbers in a {@code long}
 * (or a number as {@link #decimal} reads it). Anything else — a truncated line, {@code null} where a string is
 * expected, a duplicate, an escape in a kept value — makes it unsure, and the line is read by Jackson instead. What
 * follows the line's object is not read, as Jackson does not read it either.
 */
abstract sealed class LineBytes permits ClaudeLineBytes, CodexLineBytes {
    /** Not sure: the line goes to Jackson. Thrown without a stack trace; it is how every unsure case leaves. */
    static final class Unsure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unsure() {
            super(null, null, false, false);
        }
    }

    /** Made once per reader: an unsure line costs no allocation and no stack trace. */
    final Unsure unsure = new Unsure();

    private static final int MAX_DEPTH = 500;
    private static final int MAX_NUMBER = 100;
    private static final int MAX_NAME = 1000;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    private static final long SPACES = 0x2020202020202020L;

    byte[] b;
    int i;
    private int end;
    /** The last name or kept string: {@code b[s, e)}. */
    private int s;

    private int e;

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Reads one field of an object, whose name was just read ({@link #nameIs}): a kept one's value, returning the
     * field's bit (one bit a kept field), or passes over the value ({@link #value}) and returns 0.
     */
    @FunctionalInterface
    interface Field {
        int read();
    }

    /** Walks the line {@code b[start, end)}: its object's fields go to {@code top}; returns false when not sure. */
    final boolean walk(byte[] b, int start, int end, Field top) {
        this.b = b;
        this.i = start;
        this.end = end;
        try {
            ws();
            object(top);
            return true; // what follows the object is not read, as Jackson does not read it either
        } catch (Unsure | ArrayIndexOutOfBoundsException x) {
            return false;
        } finally {
            this.b = null;
        }
    }

    /** Reads an object, handing each field to {@code f}; a kept field given twice makes it unsure. */
    final void object(Field f) {
        expect('{');
        int seen = 0;
        if (firstName()) {
            do {
                int bit = f.read();
                if ((seen & bit) != 0) {
                    throw unsure; // a kept field given twice
                }
                seen |= bit;
            } while (nextName());
        }
    }

    /** After the brace that opens an object: reads its first name and the colon; false for an empty object. */
    private boolean firstName() {
        ws();
        if (b[i] == '}') {
            i++;
            return false;
        }
        name();
        return true;
    }

    /** After a value in an object: reads the next name and the colon; false at the object's end. */
    private boolean nextName() {
        ws();
        byte c = b[i++];
        if (c == '}') {
            return false;
        }
        if (c != ',') {
            throw unsure;
        }
        ws();
        name();
        return true;
    }

    private void name() {
        expect('"');
        if (!plainString() || e - s > MAX_NAME) {
            throw unsure; // an escape in a name could spell a kept one
        }
        ws();
        expect(':');
        ws();
    }

    final boolean nameIs(byte[] name) {
        return e - s == name.length && Arrays.equals(b, s, e, name, 0, name.length);
    }

    /** A string value without escapes, decoded. */
    final String string() {
        expect('"');
        if (!plainString()) {
            throw unsure;
        }
        return new String(b, s, e - s, StandardCharsets.UTF_8);
    }

    /** A whole number that fits a long, as {@link JsonFields#number} reads it (below zero counts as 0). */
    final long number() {
        return Math.max(0, whole());
    }

    /**
     * A number as {@link JsonFields#decimal} reads it. A whole one becomes its {@code long}'s double, as Jackson
     * converts an integer token ({@code -0} is 0); one with a fraction or an exponent is parsed as
     * {@link Double#parseDouble} parses it, which Jackson's parser (FastDoubleParser) matches bit for bit; one beyond
     * a double's range, or a whole one beyond 18 digits, is left to Jackson.
     */
    final double decimal() {
        int from = i;
        anyNumber();
        for (int k = from; k < i; k++) {
            if (b[k] == '.' || b[k] == 'e' || b[k] == 'E') {
                double d = Double.parseDouble(new String(b, from, i - from, StandardCharsets.ISO_8859_1));
                if (!Double.isFinite(d)) {
                    throw unsure;
                }
                return d;
            }
        }
        i = from;
        return whole();
    }

    /** Whether the value here is {@code null}, which is then passed over. */
    final boolean isNull() {
        if (b[i] != 'n') {
            return false;
        }
        literal("null");
        return true;
    }

    /** A whole number that fits a long, with its sign; a fraction or an exponent is left to Jackson. */
    private long whole() {
        boolean negative = b[i] == '-';
        if (negative) {
            i++;
        }
        int digits = i;
        long v = 0;
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            v = v * 10 + (b[i] - '0');
            i++;
        }
        int n = i - digits;
        if (n == 0 || n > 18 || (n > 1 && b[digits] == '0')) {
            throw unsure;
        }
        if (i < end && (b[i] == '.' || b[i] == 'e' || b[i] == 'E')) {
            throw unsure; // a fraction or an exponent: Jackson's reading of those is left to Jackson
        }
        return negative ? -v : v;
    }

    /**
     * After a string's opening quote: finds its end, checking each escape and the UTF-8; returns whether it had no
     * escape. Its content is then {@code b[s, e)} and the walk stands after its closing quote.
     */
    private boolean plainString() {
        s = i;
        boolean plain = true;
        int j = i;
        while (true) {
            while (j + 8 <= end) {
                long w = (long) LONGS.get(b, j);
                long q = w ^ QUOTES;
                long bs = w ^ BACKSLASHES;
                long special = ((q - ONES) & ~q) | ((bs - ONES) & ~bs) | ((w - SPACES) & ~w) | w;
                if ((special & HIGHS) != 0) {
                    break;
                }
                j += 8;
            }
            if (j >= end) {
                throw unsure; // the line ends inside the string
            }
            int c = b[j] & 0xFF;
            if (c == '"') {
                e = j;
                i = j + 1;
                return plain;
            }
            if (c == '\\') {
                plain = false;
                j = escape(j + 1);
            } else if (c < 0x20) {
                throw unsure;
            } else if (c >= 0x80) {
                j = utf8(j, c);
            } else {
                j++;
            }
        }
    }

    /** After a backslash: checks the escape, returns where the string goes on. */
    private int escape(int j) {
        if (j >= end) {
            throw unsure;
        }
        byte c = b[j];
        return switch (c) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> j + 1;
            case 'u' -> {
                if (j + 4 >= end) {
                    throw unsure;
                }
                for (int k = 1; k <= 4; k++) {
                    byte h = b[j + k];
                    if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F'))) {
                        throw unsure;
                    }
                }
                yield j + 5;
            }
            default -> throw unsure;
        };
    }

    /** Checks one UTF-8 sequence (well-formed: no overlong form, no surrogate, up to U+10FFFF); returns its end. */
    private int utf8(int j, int c) {
        int n;
        int lo = 0x80;
        int hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            if (c == 0xE0) {
                lo = 0xA0;
            } else if (c == 0xED) {
                hi = 0x9F;
            }
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            if (c == 0xF0) {
                lo = 0x90;
            } else if (c == 0xF4) {
                hi = 0x8F;
            }
        } else {
            throw unsure;
        }
        if (j + n >= end) {
            throw unsure; // the line ends inside the sequence
        }
        int first = b[j + 1] & 0xFF;
        if (first < lo || first > hi) {
            throw unsure;
        }
        for (int k = 2; k <= n; k++) {
            if ((b[j + k] & 0xC0) != 0x80) {
                throw unsure;
            }
        }
        return j + n + 1;
    }

    /** Passes over any value, checking it is JSON. */
    final void value(int depth) {
        if (depth > MAX_DEPTH) {
            throw unsure;
        }
        byte c = b[i];
        switch (c) {
            case '"' -> {
                i++;
                plainString();
            }
            case '{' -> {
                i++;
                if (firstName()) {
                    do {
                        value(depth + 1);
                    } while (nextName());
                }
            }
            case '[' -> {
                i++;
                ws();
                if (b[i] == ']') {
                    i++;
                    return;
                }
                while (true) {
                    value(depth + 1);
                    ws();
                    byte d = b[i++];
                    if (d == ']') {
                        return;
                    }
                    if (d != ',') {
                        throw unsure;
                    }
                    ws();
                }
            }
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> anyNumber();
        }
    }

    private void literal(String word) {
        if (i + word.length() > end) {
            throw unsure;
        }
        for (int k = 0; k < word.length(); k++) {
            if (b[i + k] != word.charAt(k)) {
                throw unsure;
            }
        }
        i += word.length();
        after();
    }

    /** A number in JSON's grammar: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}. */
    private void anyNumber() {
        int from = i;
        if (b[i] == '-') {
            i++;
        }
        if (i >= end) {
            throw unsure;
        }
        if (b[i] == '0') {
            i++;
        } else if (b[i] >= '1' && b[i] <= '9') {
            digits();
        } else {
            throw unsure;
        }
        if (i < end && b[i] == '.') {
            i++;
            if (digits() == 0) {
                throw unsure;
            }
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (i < end && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            if (digits() == 0) {
                throw unsure;
            }
        }
        if (i - from > MAX_NUMBER) {
            throw unsure;
        }
        after();
    }

    private int digits() {
        int from = i;
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        return i - from;
    }

    /** What may follow a number or a literal: whitespace, then a comma or the end of the object or array. */
    private void after() {
        int j = i;
        while (j < end && (b[j] == ' ' || b[j] == '\t' || b[j] == '\r' || b[j] == '\n')) {
            j++;
        }
        if (j >= end || (b[j] != ',' && b[j] != '}' && b[j] != ']')) {
            throw unsure;
        }
    }

    final void ws() {
        if (i < end && b[i] > ' ') {
            return; // the usual case: no whitespace at all
        }
        while (i < end) {
            byte c = b[i];
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return;
            }
            i++;
        }
        throw unsure; // the line ends where JSON must go on
    }

    final void expect(char c) {
        if (i >= end || b[i] != c) {
            throw unsure;
        }
        i++;
    }
}
