package dev.tandem.hub.usage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads the fields {@link ClaudeLog} needs straight from a Claude Code log line's bytes, walking the JSON without
 * tokenizing what it does not keep: the long strings (thinking, text, tool input) are passed over eight bytes at a
 * time. It reads only the lines it is sure of, and is sure only where Jackson's reading (the other path of
 * {@link ClaudeLog}) gives the same values: strict JSON (the grammar's numbers, escapes, whitespace, valid UTF-8,
 * nesting under 500 levels), each field it keeps in the type it expects, given once, without escapes in its name or
 * value, whole numbers in a {@code long}. Anything else — a truncated line, a float, {@code null} where a string is
 * expected, a duplicate, an escape in a kept value — makes it unsure, and the line is read by Jackson instead.
 * {@code ClaudeLineBytesTest} compares the two on the real CLIs' logs and on generated lines.
 */
final class ClaudeLineBytes {
    /** Not sure: the line goes to Jackson. Thrown without a stack trace; it is how every unsure case leaves. */
    private static final class Unsure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unsure() {
            super(null, null, false, false);
        }
    }

    /** Made once per reader: an unsure line costs no allocation and no stack trace. */
    private final Unsure unsure = new Unsure();

    private static final int MAX_DEPTH = 500;
    private static final int MAX_NUMBER = 100;
    private static final int MAX_NAME = 1000;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    private static final long SPACES = 0x2020202020202020L;

    private static final byte[] TYPE = bytes("type");
    private static final byte[] TIMESTAMP = bytes("timestamp");
    private static final byte[] SESSION_ID = bytes("sessionId");
    private static final byte[] CWD = bytes("cwd");
    private static final byte[] REQUEST_ID = bytes("requestId");
    private static final byte[] MESSAGE = bytes("message");
    private static final byte[] ID = bytes("id");
    private static final byte[] MODEL = bytes("model");
    private static final byte[] USAGE = bytes("usage");
    private static final byte[] CONTENT = bytes("content");
    private static final byte[] NAME = bytes("name");
    private static final byte[] INPUT_TOKENS = bytes("input_tokens");
    private static final byte[] OUTPUT_TOKENS = bytes("output_tokens");
    private static final byte[] CACHE_READ = bytes("cache_read_input_tokens");
    private static final byte[] CACHE_CREATION_TOKENS = bytes("cache_creation_input_tokens");
    private static final byte[] SPEED = bytes("speed");
    private static final byte[] CACHE_CREATION = bytes("cache_creation");
    private static final byte[] WRITE_5M = bytes("ephemeral_5m_input_tokens");
    private static final byte[] WRITE_1H = bytes("ephemeral_1h_input_tokens");
    private static final byte[] OUTPUT_DETAILS = bytes("output_tokens_details");
    private static final byte[] THINKING = bytes("thinking_tokens");

    private byte[] b;
    private int i;
    private int end;
    /** The last name or kept string: {@code b[s, e)}. */
    private int s;

    private int e;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Reads the line {@code b[start, end)} into {@code l}; returns false when not sure (then {@code l} holds part of
     * the line and must be dropped).
     */
    boolean read(byte[] b, int start, int end, ClaudeLog.Line l) {
        this.b = b;
        this.i = start;
        this.end = end;
        try {
            ws();
            expect('{');
            top(l);
            return true; // what follows the object is not read, as Jackson does not read it either
        } catch (Unsure | ArrayIndexOutOfBoundsException x) {
            return false;
        } finally {
            this.b = null;
        }
    }

    private void top(ClaudeLog.Line l) {
        int seen = 0;
        if (firstName()) {
            do {
                int bit;
                if (nameIs(TYPE)) {
                    bit = 1;
                    l.type = string();
                } else if (nameIs(TIMESTAMP)) {
                    bit = 2;
                    l.timestamp = Optional.of(string());
                } else if (nameIs(SESSION_ID)) {
                    bit = 4;
                    l.session = Optional.of(string());
                } else if (nameIs(CWD)) {
                    bit = 8;
                    l.cwd = Optional.of(string());
                } else if (nameIs(REQUEST_ID)) {
                    bit = 16;
                    l.requestId = Optional.of(string());
                } else if (nameIs(MESSAGE)) {
                    bit = 32;
                    expect('{');
                    message(l);
                } else {
                    bit = 0;
                    value(0);
                }
                seen = once(seen, bit);
            } while (nextName());
        }
    }

    private void message(ClaudeLog.Line l) {
        int seen = 0;
        if (firstName()) {
            do {
                int bit;
                if (nameIs(ID)) {
                    bit = 1;
                    l.messageId = Optional.of(string());
                } else if (nameIs(MODEL)) {
                    bit = 2;
                    l.model = string();
                } else if (nameIs(USAGE)) {
                    bit = 4;
                    expect('{');
                    l.hasUsage = true;
                    usage(l);
                } else if (nameIs(CONTENT)) {
                    bit = 8;
                    content(l);
                } else {
                    bit = 0;
                    value(1);
                }
                seen = once(seen, bit);
            } while (nextName());
        }
    }

    private void usage(ClaudeLog.Line l) {
        int seen = 0;
        if (firstName()) {
            do {
                int bit;
                if (nameIs(INPUT_TOKENS)) {
                    bit = 1;
                    l.input = number();
                } else if (nameIs(OUTPUT_TOKENS)) {
                    bit = 2;
                    l.output = number();
                } else if (nameIs(CACHE_READ)) {
                    bit = 4;
                    l.cacheRead = number();
                } else if (nameIs(CACHE_CREATION_TOKENS)) {
                    bit = 8;
                    l.cacheCreation = number();
                } else if (nameIs(SPEED)) {
                    bit = 16;
                    l.fast = string().equals("fast");
                } else if (nameIs(CACHE_CREATION)) {
                    bit = 32;
                    expect('{');
                    cacheCreation(l);
                } else if (nameIs(OUTPUT_DETAILS)) {
                    bit = 64;
                    expect('{');
                    outputDetails(l);
                } else {
                    bit = 0;
                    value(2);
                }
                seen = once(seen, bit);
            } while (nextName());
        }
    }

    private void cacheCreation(ClaudeLog.Line l) {
        int seen = 0;
        if (firstName()) {
            do {
                int bit;
                if (nameIs(WRITE_5M)) {
                    bit = 1;
                    l.write5m = number();
                } else if (nameIs(WRITE_1H)) {
                    bit = 2;
                    l.write1h = number();
                } else {
                    bit = 0;
                    value(3);
                }
                seen = once(seen, bit);
            } while (nextName());
        }
    }

    private void outputDetails(ClaudeLog.Line l) {
        int seen = 0;
        if (firstName()) {
            do {
                int bit;
                if (nameIs(THINKING)) {
                    bit = 1;
                    l.thinking = number();
                } else {
                    bit = 0;
                    value(3);
                }
                seen = once(seen, bit);
            } while (nextName());
        }
    }

    private void content(ClaudeLog.Line l) {
        expect('[');
        ws();
        if (b[i] == ']') {
            i++;
            return;
        }
        while (true) {
            expect('{');
            String[] block = new String[3]; // type, id, name
            int seen = 0;
            if (firstName()) {
                do {
                    int bit;
                    if (nameIs(TYPE)) {
                        bit = 1;
                        block[0] = string();
                    } else if (nameIs(ID)) {
                        bit = 2;
                        block[1] = string();
                    } else if (nameIs(NAME)) {
                        bit = 4;
                        block[2] = string();
                    } else {
                        bit = 0;
                        value(3);
                    }
                    seen = once(seen, bit);
                } while (nextName());
            }
            if ("tool_use".equals(block[0]) && block[1] != null && block[2] != null && block[2].startsWith("mcp__")) {
                l.tools.add(new String[] {block[1], block[2]});
            }
            ws();
            byte c = b[i++];
            if (c == ']') {
                return;
            }
            if (c != ',') {
                throw unsure;
            }
            ws();
        }
    }

    private int once(int seen, int bit) {
        if ((seen & bit) != 0) {
            throw unsure; // a kept field given twice
        }
        return seen | bit;
    }

    // --- the JSON walk ---

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

    private boolean nameIs(byte[] name) {
        return e - s == name.length && Arrays.equals(b, s, e, name, 0, name.length);
    }

    /** A string value without escapes, decoded. */
    private String string() {
        expect('"');
        if (!plainString()) {
            throw unsure;
        }
        return new String(b, s, e - s, StandardCharsets.UTF_8);
    }

    /** A whole number that fits a long, as {@link JsonFields#number} reads it (below zero counts as 0). */
    private long number() {
        int from = i;
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
        if (i - from > MAX_NUMBER) {
            throw unsure;
        }
        return negative ? 0 : v;
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
    private void value(int depth) {
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

    private void ws() {
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

    private void expect(char c) {
        if (i >= end || b[i] != c) {
            throw unsure;
        }
        i++;
    }
}
