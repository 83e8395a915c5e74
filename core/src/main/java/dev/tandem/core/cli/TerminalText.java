package dev.tandem.core.cli;

/**
 * Text from logs, the clients' files, jobs and fleet hosts made safe to print on a terminal. Model names, session ids,
 * working folders and host names come from files that programs the person runs (agents among them) write; a job's
 * prompt, summary, output, pending approvals and changed files from an agent and its model; a control character in one (ESC starting an
 * OSC 52 clipboard write, a title change, a cursor move; BEL, CR, backspace) or a format character (a bidi override,
 * a zero-width character) would act on the terminal or hide what the line says. Each such character is shown
 * instead as its Java escape, <code>&#92;u001b</code>: visible, and two names that differ only there still differ.
 */
public final class TerminalText {
    private TerminalText() {}

    /**
     * Returns {@code s} with every control character (C0, DEL, C1: tab and newline too, a cell is one line) and every
     * format, line or paragraph separator character, and any lone surrogate, replaced by <code>&#92;uXXXX</code>.
     */
    public static String safe(String s) {
        return escaped(s, "");
    }

    /**
     * Returns {@code s} with each of its lines made {@link #safe}, and its tabs kept as they are: for the output of a
     * program (a job's output, the lines a job's events carry), where tabs indent code and diffs. A tab only moves the
     * cursor right over empty cells: it can neither overwrite nor hide what was printed.
     */
    public static String output(String s) {
        return escaped(s, "\n\t");
    }

    /**
     * Returns the JSON text {@code json} with every DEL, C1 control, format, line or paragraph separator character
     * written as <code>&#92;uXXXX</code>. Outside a string JSON holds none of them, and inside one the escape means the
     * same character: a parser reads the same values, a terminal shown the text gets none of them raw. (JSON's writers
     * already escape C0 controls inside strings.)
     */
    public static String json(String json) {
        StringBuilder b = null;
        for (int i = 0; i < json.length(); ) {
            int cp = json.codePointAt(i);
            int n = Character.charCount(cp);
            boolean unsafe = cp >= 0x7f
                    && switch (Character.getType(cp)) {
                        case Character.CONTROL,
                                Character.FORMAT, // tags (U+E0000…) too: a code point outside the 16-bit range
                                Character.LINE_SEPARATOR,
                                Character.PARAGRAPH_SEPARATOR -> true;
                        default -> false;
                    };
            if (unsafe && b == null) {
                b = new StringBuilder(json.length() + 16).append(json, 0, i);
            }
            if (unsafe) {
                for (int k = i; k < i + n; k++) { // a surrogate pair as its two escapes, as JSON writes it
                    b.append(String.format("\\u%04x", (int) json.charAt(k)));
                }
            } else if (b != null) {
                b.appendCodePoint(cp);
            }
            i += n;
        }
        return b == null ? json : b.toString();
    }

    private static String escaped(String s, String kept) {
        int i = 0;
        while (i < s.length() && (kept.indexOf(s.charAt(i)) >= 0 || !unsafe(s, i))) {
            i += Character.charCount(s.codePointAt(i));
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 16).append(s, 0, i);
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int n = Character.charCount(cp);
            if (kept.indexOf(cp) < 0 && unsafe(s, i)) {
                for (int k = i; k < i + n; k++) {
                    b.append(String.format("\\u%04x", (int) s.charAt(k)));
                }
            } else {
                b.appendCodePoint(cp);
            }
            i += n;
        }
        return b.toString();
    }

    /** Returns {@code s} with each of its lines made {@link #safe}: the newlines between them are kept. */
    public static String lines(String s) {
        return escaped(s, "\n");
    }

    private static boolean unsafe(String s, int i) {
        int cp = s.codePointAt(i);
        return switch (Character.getType(cp)) {
            case Character.CONTROL, // C0, DEL, C1
                    Character.FORMAT, // bidi overrides and isolates, zero-width characters, tags
                    Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR,
                    Character.SURROGATE -> true; // a surrogate without its other half
            default -> false;
        };
    }
}
