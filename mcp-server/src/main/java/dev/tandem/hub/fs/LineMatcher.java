package dev.tandem.hub.fs;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Finds the lines of a file's content that match a literal or a regular expression, one hit per line, as grep and
 * ripgrep do: a match never spans a line break.
 *
 * <p>A literal is searched as its UTF-8 bytes with {@link String#indexOf} over the content viewed as Latin-1 (a
 * byte search the JIT turns into vector code, and correct for UTF-8, which is self-synchronising). A regular
 * expression is compiled once; when it has a literal every match must contain, only lines holding that literal are
 * given to it.
 */
final class LineMatcher {
    /** Receives hits; returns false to stop the search. */
    interface Hits {
        boolean add(int line, String text);
    }

    private final Optional<Pattern> pattern;
    /** The literal as Latin-1 chars standing for its UTF-8 bytes, when there is no pattern. */
    private final String literalBytes;

    private final Optional<String> prefilter;

    private LineMatcher(Optional<Pattern> pattern, String literalBytes, Optional<String> prefilter) {
        this.pattern = pattern;
        this.literalBytes = literalBytes;
        this.prefilter = prefilter;
    }

    /** Returns the matcher for {@code r}; an invalid regular expression is an {@link FsException} naming it. */
    static LineMatcher of(SearchRequest r) {
        if (!r.regex() && !r.ignoreCase()) {
            return new LineMatcher(
                    Optional.empty(),
                    new String(r.query().getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1),
                    Optional.empty());
        }
        int flags = Pattern.MULTILINE;
        if (!r.regex()) {
            flags |= Pattern.LITERAL;
        }
        if (r.ignoreCase()) {
            flags |= Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
        }
        try {
            Optional<String> prefilter =
                    r.regex() && !r.ignoreCase() ? RequiredLiteral.of(r.query()) : Optional.empty();
            return new LineMatcher(Optional.of(Pattern.compile(r.query(), flags)), "", prefilter);
        } catch (PatternSyntaxException e) {
            throw new FsException(
                    "query: not a valid regular expression: " + e.getDescription() + " near index " + e.getIndex());
        }
    }

    /** Searches the first {@code length} bytes of {@code bytes} (UTF-8 text) and reports each matching line. */
    void search(byte[] bytes, int length, Hits hits) {
        if (pattern.isEmpty()) {
            searchLiteral(new String(bytes, 0, length, StandardCharsets.ISO_8859_1), hits);
            return;
        }
        String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
        Matcher m = pattern.get().matcher(text);
        if (prefilter.isPresent()) {
            searchPrefiltered(text, m, prefilter.get(), hits);
        } else {
            searchRegex(text, m, hits);
        }
    }

    private void searchLiteral(String latin1, Hits hits) {
        int line = 1;
        int counted = 0;
        for (int at = latin1.indexOf(literalBytes); at >= 0; ) {
            line += newlines(latin1, counted, at);
            counted = at;
            int lineStart = latin1.lastIndexOf('\n', at) + 1;
            int lineEnd = lineEnd(latin1, at);
            String text = new String(
                    latin1.substring(lineStart, lineEnd).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            if (!hits.add(line, text)) {
                return;
            }
            at = lineEnd >= latin1.length() ? -1 : latin1.indexOf(literalBytes, lineEnd + 1);
        }
    }

    private static void searchRegex(String text, Matcher m, Hits hits) {
        m.useTransparentBounds(true).useAnchoringBounds(false);
        int line = 1;
        int counted = 0;
        while (m.find()) {
            int at = m.start();
            line += newlines(text, counted, at);
            counted = at;
            int lineStart = text.lastIndexOf('\n', at) + 1;
            int lineEnd = lineEnd(text, at);
            // a match that runs past the line break counts only if the line alone matches too
            boolean inLine = m.end() <= lineEnd || matchesWithin(m, lineStart, lineEnd);
            if (inLine && !hits.add(line, text.substring(lineStart, lineEnd))) {
                return;
            }
            if (lineEnd >= text.length()) {
                return;
            }
            m.useTransparentBounds(true).useAnchoringBounds(false).region(lineEnd + 1, text.length());
        }
    }

    private static void searchPrefiltered(String text, Matcher m, String literal, Hits hits) {
        int line = 1;
        int counted = 0;
        for (int at = text.indexOf(literal); at >= 0; ) {
            line += newlines(text, counted, at);
            counted = at;
            int lineStart = text.lastIndexOf('\n', at) + 1;
            int lineEnd = lineEnd(text, at);
            if (matchesWithin(m, lineStart, lineEnd) && !hits.add(line, text.substring(lineStart, lineEnd))) {
                return;
            }
            at = lineEnd >= text.length() ? -1 : text.indexOf(literal, lineEnd + 1);
        }
    }

    /** Returns whether the pattern matches inside one line, the line standing alone as the input. */
    private static boolean matchesWithin(Matcher m, int lineStart, int lineEnd) {
        return m.useTransparentBounds(false)
                .useAnchoringBounds(true)
                .region(lineStart, lineEnd)
                .find();
    }

    private static int newlines(String s, int from, int to) {
        int n = 0;
        for (int i = s.indexOf('\n', from); i >= 0 && i < to; i = s.indexOf('\n', i + 1)) {
            n++;
        }
        return n;
    }

    private static int lineEnd(String s, int at) {
        int nl = s.indexOf('\n', at);
        return nl < 0 ? s.length() : nl;
    }
}
