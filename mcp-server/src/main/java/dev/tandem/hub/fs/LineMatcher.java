package dev.tandem.hub.fs;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Finds the lines of a file's content that match a literal or a regular expression, one hit per line, as grep and
 * ripgrep do: a match never spans a line break.
 *
 * <p>A literal is searched as its UTF-8 bytes with {@link String#indexOf} over the content viewed as Latin-1 (a
 * byte search the JIT turns into vector code, and correct for UTF-8, which is self-synchronising). A regular
 * expression is RE2 syntax, matched by RE2/J in time linear in the text (no backtracking, so no pattern can make a
 * search run for hours); when it has a literal every match must contain, only lines holding that literal are given
 * to it. Each line is judged on its own, without its line break and a {@code \r} before it.
 *
 * <p>RE2's time is linear in the text but grows with the program too, so a pattern is refused before it is compiled
 * when its program would be large ({@link RegexBudget}), and a search stops soon after it is told to: RE2 is given
 * the text in stretches whose length times the program's size is bounded, and between stretches the search asks
 * whether to stop; a single line longer than a stretch is read through a {@link WatchedText} that asks as RE2 reads.
 */
final class LineMatcher {
    /** Receives hits; returns false to stop the search. */
    interface Hits {
        boolean add(int line, String text);
    }

    /** What RE2 does not have that java.util.regex has, for the error a model reads. */
    static final String DIALECT =
            "fs_search uses RE2 syntax: no lookaround, backreferences, possessive or atomic groups";

    private final Optional<Pattern> pattern;
    /** The literal as Latin-1 chars standing for its UTF-8 bytes, when there is no pattern. */
    private final String literalBytes;

    /** Characters RE2 reads between two checks for a stop, times the program's size (tens of ms at worst). */
    static final long STRETCH_WORK = 1L << 22;

    /**
     * How many times over RE2 may read a stretch while finding its candidates before the rest of it is judged line by
     * line: candidates far apart cost one read; a pattern that reads on past each candidate's line would otherwise
     * cost the stretch's length once per line.
     */
    static final long REREADS = 4;

    /** The most capturing groups a pattern may have. */
    static final int MAX_GROUPS = 256;

    private final Optional<String> prefilter;
    /** Whether whole-text matching may miss a line that matches on its own (text start/end anchors, flags). */
    private final boolean perLineOnly;

    /** The most characters RE2 reads before the search checks whether to stop. */
    private final int stretch;

    private LineMatcher(Optional<Pattern> pattern, String literalBytes, Optional<String> prefilter, boolean perLine) {
        this.pattern = pattern;
        this.literalBytes = literalBytes;
        this.prefilter = prefilter;
        this.perLineOnly = perLine;
        long size = pattern.map(p -> (long) Math.max(1, p.programSize())).orElse(1L);
        this.stretch = Math.clamp(STRETCH_WORK / size, 256, 1 << 20);
    }

    /** Returns the matcher for {@code r}; an invalid regular expression is an {@link FsException} naming it. */
    static LineMatcher of(SearchRequest r) {
        if (!r.regex() && !r.ignoreCase()) {
            return new LineMatcher(
                    Optional.empty(),
                    new String(r.query().getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1),
                    Optional.empty(),
                    false);
        }
        int flags = Pattern.MULTILINE;
        if (r.ignoreCase()) {
            flags |= Pattern.CASE_INSENSITIVE;
        }
        String source = r.regex() ? r.query() : Pattern.quote(r.query());
        RegexBudget.check(r.query(), source);
        try {
            Optional<String> prefilter =
                    r.regex() && !r.ignoreCase() ? RequiredLiteral.of(r.query()) : Optional.empty();
            boolean perLine = r.regex()
                    && (r.query().contains("\\A")
                            || r.query().contains("\\z")
                            || r.query().contains("(?"));
            Pattern compiled = Pattern.compile(source, flags);
            if (compiled.groupCount() > MAX_GROUPS) {
                // RE2/J gives every thread of its machine room for every group's bounds, whatever find() needs
                throw new FsException("query: the regular expression has " + compiled.groupCount()
                        + " capturing groups; the limit is " + MAX_GROUPS
                        + " (write (?:...) for a group that only groups)");
            }
            return new LineMatcher(Optional.of(compiled), "", prefilter, perLine);
        } catch (PatternSyntaxException e) {
            throw new FsException("query: not a valid regular expression: " + e.getDescription() + " at '"
                    + FsException.show(e.getPattern()) + "' (" + DIALECT + ")");
        }
    }

    /**
     * Searches the first {@code length} bytes of {@code bytes} (UTF-8 text) and reports each matching line; returns
     * early, between stretches of text, once {@code stop} says so.
     */
    void search(byte[] bytes, int length, Hits hits, BooleanSupplier stop) {
        if (pattern.isEmpty()) {
            searchLiteral(new String(bytes, 0, length, StandardCharsets.ISO_8859_1), hits);
            return;
        }
        String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
        Lines lines = new Lines(text, pattern.get().matcher(""), hits, stop);
        try {
            if (prefilter.isPresent()) {
                lines.searchPrefiltered(prefilter.get());
            } else if (perLineOnly || text.indexOf('\r') >= 0) {
                lines.searchEachLine();
            } else {
                lines.searchRegex(pattern.get());
            }
        } catch (WatchedText.Stopped e) {
            // told to stop while RE2 read one long line
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

    /** One file's text, searched a line or a stretch of lines at a time. */
    private final class Lines {
        final String text;
        final Matcher line;
        final Hits hits;
        final BooleanSupplier stop;

        Lines(String text, Matcher line, Hits hits, BooleanSupplier stop) {
            this.text = text;
            this.line = line;
            this.hits = hits;
            this.stop = stop;
        }

        /**
         * Lets RE2 find the next candidate in a stretch of whole lines (MULTILINE, so {@code ^} and {@code $} are line
         * ends), then judges the candidate's line on its own; the search goes on at the next line. Every line that
         * matches alone holds the start of a match in its stretch, so no line is missed.
         *
         * <p>Each find may read on past its candidate's line (a pattern like {@code a[^x]*b} reads to the stretch's
         * end for every {@code a}): RE2 reads the stretch through a view that asks whether to stop as it reads, and
         * once it has read the stretch {@link #REREADS} times over, the rest of the stretch is judged line by line,
         * which reads each line once.
         */
        void searchRegex(Pattern p) {
            int lineNo = 1;
            int counted = 0;
            for (int start = 0; start < text.length(); ) {
                if (stop.getAsBoolean()) {
                    return;
                }
                int end = start + stretch >= text.length() ? text.length() : lineEnd(text, start + stretch - 1);
                WatchedText input = new WatchedText(text, start, end, stretch, stop);
                Matcher whole = p.matcher(input);
                long budget = REREADS * (long) (end - start) + stretch;
                int from = 0;
                while (from <= end - start) {
                    if (input.reads() > budget) {
                        lineNo += newlines(text, counted, start + from);
                        counted = start + from;
                        if (!eachLine(start + from, end, lineNo)) {
                            return;
                        }
                        break;
                    }
                    if (!whole.find(from)) {
                        break;
                    }
                    int at = start + whole.start();
                    if (at == text.length() && (text.isEmpty() || text.charAt(at - 1) == '\n')) {
                        return; // the empty end after the last line break is not a line
                    }
                    int lineStart = at == 0 ? 0 : text.lastIndexOf('\n', at - 1) + 1;
                    int lineEnd = lineEnd(text, at);
                    lineNo += newlines(text, counted, lineStart);
                    counted = lineStart;
                    if (matchesAlone(lineStart, lineEnd) && !hits.add(lineNo, text.substring(lineStart, lineEnd))) {
                        return;
                    }
                    from = lineEnd + 1 - start;
                }
                start = end + 1;
            }
        }

        void searchEachLine() {
            eachLine(0, text.length(), 1);
        }

        /**
         * Judges each line that starts from {@code start} (a line's start) to {@code to}, the first numbered
         * {@code lineNo}; returns false when told to stop or when no more hits are wanted.
         */
        private boolean eachLine(int start, int to, int lineNo) {
            for (; start <= to && start < text.length(); lineNo++) {
                int end = lineEnd(text, start);
                if (stop.getAsBoolean()
                        || (matchesAlone(start, end) && !hits.add(lineNo, text.substring(start, end)))) {
                    return false;
                }
                start = end + 1;
            }
            return true;
        }

        void searchPrefiltered(String literal) {
            int lineNo = 1;
            int counted = 0;
            for (int at = text.indexOf(literal); at >= 0; ) {
                int lineStart = text.lastIndexOf('\n', at) + 1;
                lineNo += newlines(text, counted, lineStart);
                counted = lineStart;
                int lineEnd = lineEnd(text, at);
                if (stop.getAsBoolean()
                        || (matchesAlone(lineStart, lineEnd)
                                && !hits.add(lineNo, text.substring(lineStart, lineEnd)))) {
                    return;
                }
                at = lineEnd >= text.length() ? -1 : text.indexOf(literal, lineEnd + 1);
            }
        }

        /** Returns whether the pattern matches the line alone, without its break and a {@code \r} before it. */
        private boolean matchesAlone(int start, int end) {
            int e = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
            return line.reset(view(start, e)).find();
        }

        /** Returns the text from {@code start} to {@code end}: a copy when short, else one that checks for a stop. */
        private CharSequence view(int start, int end) {
            if (start == 0 && end == text.length() && end <= stretch) {
                return text;
            }
            return end - start <= stretch
                    ? text.substring(start, end)
                    : new WatchedText(text, start, end, stretch, stop);
        }
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
