package dev.tandem.core.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns free text into an FTS5 query that cannot be a syntax error: every word becomes a quoted FTS5 string, and
 * the strings are OR-ed so bm25 ranks memories holding more of them first.
 *
 * <p>Quoting follows https://www.sqlite.org/fts5.html#fts5_strings: a string is enclosed in double quotes and an
 * embedded double quote is doubled. Operators ({@code AND}, {@code NEAR}, {@code -}, {@code :}, parentheses) are
 * then plain text.
 */
final class FtsQuery {
    private static final int MAX_TERMS = 32;
    /** Words are split at white space and at control characters: SQLite ends an FTS5 string at a NUL byte. */
    private static final Pattern WHITESPACE = Pattern.compile("[\\s\\p{Cntrl}]+");

    private FtsQuery() {}

    /** Returns the FTS5 expression, or empty when the text holds no letter or digit to search for. */
    static Optional<String> of(String text) {
        List<String> terms = words(text).stream()
                .map(word -> '"' + word.replace("\"", "\"\"") + '"')
                .toList();
        return terms.isEmpty() ? Optional.empty() : Optional.of(String.join(" OR ", terms));
    }

    /**
     * Returns the same words as PostgreSQL {@code websearch_to_tsquery} text, or empty when there is none: each
     * word a quoted phrase (so {@code -}, {@code or} and quotes inside it are plain text) and the phrases joined by
     * {@code or} (https://www.postgresql.org/docs/current/textsearch-controls.html#TEXTSEARCH-PARSING-QUERIES).
     */
    static Optional<String> websearch(String text) {
        List<String> terms = words(text).stream()
                .map(word -> '"' + word.replace('"', ' ') + '"')
                .toList();
        return terms.isEmpty() ? Optional.empty() : Optional.of(String.join(" or ", terms));
    }

    /** Returns up to {@link #MAX_TERMS} words of the text that hold a letter or a digit. */
    private static List<String> words(String text) {
        List<String> terms = new ArrayList<>();
        for (String word : WHITESPACE.split(text, -1)) {
            if (word.codePoints().anyMatch(Character::isLetterOrDigit) && terms.size() < MAX_TERMS) {
                terms.add(word);
            }
        }
        return terms;
    }
}
