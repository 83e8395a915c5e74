package dev.tandem.hub.memory;

import java.util.regex.Pattern;

/** Makes the one-line summary every memory carries. */
final class Summaries {
    static final int MAX_CHARS = 120;
    private static final Pattern LINES = Pattern.compile("\\R");

    private Summaries() {}

    /** Returns {@code given} on one line if it has text, else the first sentence of {@code content}; both cut. */
    static String of(String given, String content) {
        String line = oneLine(given);
        return cut(line.isEmpty() ? firstSentence(content) : line);
    }

    /** Returns the first sentence of the first non-blank line, without leading Markdown markers. */
    static String firstSentence(String content) {
        for (String raw : LINES.split(content, -1)) {
            String line =
                    raw.strip().replaceFirst("^(#+|[-*>]+|\\d+\\.)\\s+", "").strip();
            if (!line.isEmpty()) {
                return upToSentenceEnd(line);
            }
        }
        return "";
    }

    private static String upToSentenceEnd(String line) {
        for (int i = 0; i < line.length() - 1; i++) {
            char c = line.charAt(i);
            if ((c == '.' || c == '!' || c == '?') && Character.isWhitespace(line.charAt(i + 1))) {
                return line.substring(0, i + 1);
            }
        }
        return line;
    }

    /** Returns {@code text} on one line: runs of white space and control characters (NUL included) become one space. */
    private static String oneLine(String text) {
        return text.replaceAll("[\\s\\p{Cntrl}]+", " ").strip();
    }

    /** Cuts at a word boundary so the result, with its ellipsis, fits {@link #MAX_CHARS}. */
    static String cut(String text) {
        String line = oneLine(text);
        if (line.length() <= MAX_CHARS) {
            return line;
        }
        int end = line.lastIndexOf(' ', MAX_CHARS - 1);
        if (end < MAX_CHARS / 2) {
            end = MAX_CHARS - 1;
        }
        if (Character.isHighSurrogate(line.charAt(end - 1))) {
            end--;
        }
        return line.substring(0, end).stripTrailing() + "…";
    }
}
