package dev.tandem.hub.usage;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Writes JSON log lines for the tests of the byte readers ({@link ClaudeLineBytesTest}, {@link CodexLineBytesTest}):
 * mostly well-formed; in a line with {@code traps}, also escapes and Unicode in strings, escaped names, duplicate
 * fields, values of other types. {@code odd} tells that a trap the byte reader should refuse was placed.
 */
abstract class LineGen {
    /** What a changed byte becomes: JSON's structure, number and escape characters, a control byte, a high one. */
    private static final String FLIPS = " \"\\{}[],:0-.eE\u00ffnu\t\u0001ax";

    final Random r;
    final boolean traps;
    /** Percent of kept strings written plain in a line with traps. */
    private final int keptPlain;
    /** Percent of names written with an escape in a line with traps. */
    private final int escapedNames;

    boolean odd;

    LineGen(Random r, boolean traps, int keptPlain, int escapedNames) {
        this.r = r;
        this.traps = traps;
        this.keptPlain = keptPlain;
        this.escapedNames = escapedNames;
    }

    /** Returns one line, without its newline. */
    abstract String line();

    /** Returns the line in a buffer, after a cut line and before the next line's bytes: it starts at 3. */
    static byte[] amid(byte[] line, byte[] after) {
        byte[] buf = new byte[3 + line.length + after.length];
        buf[0] = '{';
        buf[1] = '"';
        buf[2] = '\n';
        System.arraycopy(line, 0, buf, 3, line.length);
        System.arraycopy(after, 0, buf, 3 + line.length, after.length);
        return buf;
    }

    /** Returns the line damaged three ways: truncated, with one byte changed, with that byte removed. */
    static List<byte[]> damaged(byte[] line, Random r) {
        byte[] truncated = Arrays.copyOf(line, r.nextInt(line.length));
        byte[] flip = line.clone();
        int at = r.nextInt(flip.length);
        flip[at] = (byte) FLIPS.charAt(r.nextInt(FLIPS.length()));
        byte[] cut = new byte[line.length - 1];
        System.arraycopy(line, 0, cut, 0, at);
        System.arraycopy(line, at + 1, cut, at, line.length - at - 1);
        return List.of(truncated, flip, cut);
    }

    /** Returns the non-empty lines of test resources under {@code /usage/}. */
    static List<byte[]> fixtureLines(String... fixtures) throws IOException {
        List<byte[]> lines = new ArrayList<>();
        for (String f : fixtures) {
            try (InputStream in = LineGen.class.getResourceAsStream("/usage/" + f)) {
                assertTrue(in != null, f);
                for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8)
                        .lines()
                        .toList()) {
                    if (!l.isEmpty()) {
                        lines.add(l.getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return lines;
    }

    final boolean p(int percent) {
        return r.nextInt(100) < percent;
    }

    final <T> T pick(T[] choices) {
        return choices[r.nextInt(choices.length)];
    }

    final String ws() {
        return p(85) ? "" : pick(new String[] {" ", "  ", "\t", "\r", " \t "});
    }

    final String plainText(int max) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(max + 1);
        for (int k = 0; k < n; k++) {
            sb.append((char) ('a' + r.nextInt(26)));
            if (p(10)) {
                sb.append(' ');
            }
        }
        return sb.toString();
    }

    /** A JSON string literal: plain, or with escapes and Unicode (raw or escaped). */
    final String str(String plain, boolean kept) {
        if (!traps || p(kept ? keptPlain : 60)) {
            return "\"" + plain + "\"";
        }
        if (kept) {
            odd = true;
        }
        StringBuilder sb = new StringBuilder("\"").append(plain);
        for (int k = 1 + r.nextInt(4); k > 0; k--) {
            sb.append(pick(new String[] {
                "\\n",
                "\\\"",
                "\\\\",
                "\\u00e9",
                "\\ud83d\\ude00",
                "\u00e9t\u00e9",
                "\ud83d\ude00",
                "\u4e2d\u6587",
                "\\/",
                "\\t\\r\\b\\f",
                "\\u0041",
                "\u00ff\u0100\u07ff\u0800\uffff",
                "\\u0020"
            }));
        }
        if (kept && p(20)) {
            sb = new StringBuilder("\"").append(plain); // a plain kept value after all
        }
        return sb.append('"').toString();
    }

    /** A whole number for a token count; sometimes in another JSON form, or not JSON. */
    final String any(int depth) {
        int k = depth > 3 ? r.nextInt(6) : r.nextInt(9);
        return switch (k) {
            case 0 -> str(plainText(40), false);
            case 1 -> Integer.toString(r.nextInt(1000) - 500);
            case 2 -> pick(new String[] {"1.5", "-0.25e-3", "6E10", "0", "-0", "1e400"});
            case 3 -> "true";
            case 4 -> "false";
            case 5 -> "null";
            case 6 -> "[]";
            case 7 -> {
                List<String> items = new ArrayList<>();
                for (int j = r.nextInt(4); j > 0; j--) {
                    items.add(ws() + any(depth + 1) + ws());
                }
                yield "[" + String.join(",", items) + "]";
            }
            default -> {
                List<String> f = new ArrayList<>();
                for (int j = r.nextInt(4); j > 0; j--) {
                    f.add(field(plainText(8), any(depth + 1)));
                }
                yield obj(f);
            }
        };
    }

    final String field(String name, String value) {
        String key = "\"" + name + "\"";
        if (traps && p(escapedNames)) {
            odd = true; // a name with an escape may spell a kept one: left to Jackson
            key = str(name, false);
        }
        return ws() + key + ws() + ":" + ws() + value + ws();
    }

    /** An object of the fields, in random order, sometimes with a field given twice. */
    final String obj(List<String> fields) {
        List<String> f = new ArrayList<>(fields);
        Collections.shuffle(f, r);
        if (traps && !f.isEmpty() && p(5)) {
            odd = true;
            f.add(r.nextInt(f.size() + 1), f.get(r.nextInt(f.size())));
        }
        return "{" + String.join(",", f) + "}";
    }

    final String maybeOdd(String good) {
        if (traps && p(4)) {
            odd = true;
            return pick(new String[] {"null", "1", "{}", "[]", "true", "\"x\""});
        }
        return good;
    }

    /** A time in 2026 as the engines write it ({@code 2026-12-06T09:47:37.176Z}). */
    final String time() {
        return String.format(
                Locale.ROOT,
                "2026-%02d-%02dT%02d:%02d:%02d.%03dZ",
                1 + r.nextInt(12),
                1 + r.nextInt(28),
                r.nextInt(24),
                r.nextInt(60),
                r.nextInt(60),
                r.nextInt(1000));
    }
}
