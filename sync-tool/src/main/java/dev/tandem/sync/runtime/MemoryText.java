package dev.tandem.sync.runtime;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Memory text (titles, summaries) made inert for an agent document, where it is shown as data inside a fenced
 * block: one line of plain text that can neither end the fence, open an HTML comment or section marker, nor, in
 * {@code CLAUDE.md}, become a Claude Code {@code @} import.
 *
 * <p>Claude Code takes {@code @path} after any whitespace in Markdown text as an import, with JavaScript's
 * {@code \s} (no-break and ideographic spaces included), and after any inline token (a backslash escape, an
 * emphasis) too; only code spans and code blocks are skipped. So the text is first normalised (NFKC: a full-width
 * {@code ＠} or {@code ＜} becomes {@code @} or {@code <}), every kind of space and line break becomes one plain
 * space, invisible format characters (zero-width spaces, bidi controls) go, backticks become {@code '} (so no
 * escaped or stray backtick can pair with ours), and every word holding an {@code @} goes into a code span of its
 * own, which holds even if the surrounding fence were broken.
 */
final class MemoryText {
    /** Longest text kept of one field, in code points; longer text is cut and ends with an ellipsis. */
    static final int MAX_CODE_POINTS = 300;

    private MemoryText() {}

    /** Returns {@code text} on one inert line, with each {@code @} word in backticks when {@code claude}. */
    static String inert(String text, boolean claude) {
        String plain = cut(plain(text))
                .replace('`', '\'')
                .replaceAll("~{3,}", "~")
                .replace("<", "&lt;")
                .replace(">", "&gt;");
        return claude ? quoteAtWords(plain) : plain;
    }

    /** Returns the text normalised, on one line, with single plain spaces and no invisible characters. */
    private static String plain(String text) {
        String normal = Normalizer.normalize(text, Normalizer.Form.NFKC);
        StringBuilder sb = new StringBuilder(normal.length());
        normal.codePoints().forEach(c -> {
            if (Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.getType(c) == Character.CONTROL) {
                sb.append(' ');
            } else if (!invisible(c)) {
                sb.appendCodePoint(c);
            }
        });
        return sb.toString().replaceAll(" {2,}", " ").strip();
    }

    private static boolean invisible(int c) {
        int type = Character.getType(c);
        return type == Character.FORMAT
                || type == Character.SURROGATE
                || type == Character.PRIVATE_USE
                || type == Character.UNASSIGNED;
    }

    private static String cut(String text) {
        if (text.codePointCount(0, text.length()) <= MAX_CODE_POINTS) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, MAX_CODE_POINTS - 1))
                        .stripTrailing() + "…";
    }

    /** Returns the text with every word that holds an {@code @} in a code span (the text has no backticks). */
    private static String quoteAtWords(String text) {
        List<String> out = new ArrayList<>();
        for (String word : text.split(" ", -1)) {
            out.add(word.indexOf('@') >= 0 ? "`" + word + "`" : word);
        }
        return String.join(" ", out);
    }
}
