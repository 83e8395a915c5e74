package dev.tandem.core.cli;

/**
 * Text from logs and the clients' files made safe to print on a terminal. Model names, session ids, working folders and host names come
 * from files that programs the person runs (agents among them) write; a control character in one (ESC starting an
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
        int i = 0;
        while (i < s.length() && !unsafe(s, i)) {
            i += Character.charCount(s.codePointAt(i));
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 16).append(s, 0, i);
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int n = Character.charCount(cp);
            if (unsafe(s, i)) {
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
        if (s.indexOf('\n') < 0) {
            return safe(s);
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        int from = 0;
        for (int nl = s.indexOf('\n'); nl >= 0; nl = s.indexOf('\n', from)) {
            b.append(safe(s.substring(from, nl))).append('\n');
            from = nl + 1;
        }
        return b.append(safe(s.substring(from))).toString();
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
