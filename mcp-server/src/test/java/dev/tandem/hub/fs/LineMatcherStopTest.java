package dev.tandem.hub.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each way {@link LineMatcher} hands text to RE2 (stretches of whole lines, each line, prefiltered lines, one long
 * line read through {@link WatchedText}) asks whether to stop and stops when told to; left alone, it finds every
 * matching line.
 */
class LineMatcherStopTest {
    private static final int LINES = 5000;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "stretches of lines, '[ab]{100}c', '\\n'",
        "each line, '[ab]{100}c', '\\r\\n'",
        "prefiltered lines, '[ab]{100}cde', 'de\\n'",
    })
    void stopsWhenToldToAndFindsEveryLineOtherwise(String way, String regex, String end) {
        byte[] text = ("a".repeat(100) + "c" + unescape(end)).repeat(LINES).getBytes(StandardCharsets.UTF_8);
        LineMatcher m = LineMatcher.of(request(regex));
        assertEquals(LINES, search(m, text, () -> false).size(), way);

        AtomicInteger asked = new AtomicInteger();
        List<Integer> found = search(m, text, () -> asked.incrementAndGet() > 1);
        assertEquals(2, asked.get(), way + ": went on asking after the answer was yes");
        assertTrue(found.size() < LINES / 2, way + ": " + found.size() + " lines reported after the stop");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "in a stretch, '[ab]{1000}c', ''",
        "alone, '[ab]{1000}c', '\\r'",
        "prefiltered, '[ab]{1000}xyzc', 'dxyzc'",
    })
    void aLongLineIsReadInStretchesThatAskWhetherToStop(String way, String regex, String end) {
        byte[] text = ("a".repeat(3_000_000) + unescape(end) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicInteger asked = new AtomicInteger();
        List<Integer> found = search(LineMatcher.of(request(regex)), text, () -> asked.incrementAndGet() > 1);
        assertEquals(List.of(), found, way);
        assertEquals(2, asked.get(), way + ": the line was read without asking, or on after the answer was yes");
    }

    /**
     * {@code a[^x]*b} (no required literal with ignore_case, so no prefilter) reads from each {@code a} to the end of
     * its stretch: one find per line would read the stretch once per line, minutes on this text. Past a few reads of
     * the stretch the rest is judged line by line, with the lines numbered as before; told to stop, it stops.
     */
    @org.junit.jupiter.api.Test
    void aPatternThatReadsOnPastEachLineCostsAFewReadsOfTheStretchNotOnePerLine() {
        int lines = 200_000;
        byte[] text = ("a\n".repeat(lines) + "ab\n".repeat(3) + "b\n").getBytes(StandardCharsets.UTF_8);
        LineMatcher m = LineMatcher.of(new SearchRequest("", "a[^x]*b", true, true, Optional.empty(), false, 100));
        // a guard against the quadratic read, which takes minutes here, not a measure of speed
        List<Integer> found = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(60), () -> search(m, text, () -> false));
        assertEquals(List.of(lines + 1, lines + 2, lines + 3), found);

        AtomicInteger asked = new AtomicInteger();
        List<Integer> stopped = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(60), () -> search(m, text, () -> asked.incrementAndGet() > 2));
        assertEquals(List.of(), stopped);
        assertEquals(3, asked.get(), "went on asking after the answer was yes");
    }

    @org.junit.jupiter.api.Test
    void capturingGroupsAreBoundedAndNonCapturingOnesAreNot() {
        String many = "(a?)".repeat(LineMatcher.MAX_GROUPS + 1);
        FsException e =
                org.junit.jupiter.api.Assertions.assertThrows(FsException.class, () -> LineMatcher.of(request(many)));
        assertTrue(
                e.getMessage().startsWith("query: ") && e.getMessage().contains("257 capturing groups"),
                e.getMessage());
        assertEquals(
                1,
                search(
                                LineMatcher.of(request("(?:a?)".repeat(LineMatcher.MAX_GROUPS + 1) + "c")),
                                "ac\n".getBytes(StandardCharsets.UTF_8),
                                () -> false)
                        .size());
        assertEquals(
                1,
                search(
                                LineMatcher.of(request("(a?)".repeat(LineMatcher.MAX_GROUPS) + "c")),
                                "ac\n".getBytes(StandardCharsets.UTF_8),
                                () -> false)
                        .size());
    }

    private static List<Integer> search(LineMatcher m, byte[] text, BooleanSupplier stop) {
        List<Integer> lines = new ArrayList<>();
        m.search(text, text.length, (line, t) -> lines.add(line), stop);
        return lines;
    }

    /** Returns {@code s} with the escapes {@code \\r} and {@code \\n} as the characters they name. */
    private static String unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n");
    }

    private static SearchRequest request(String regex) {
        return new SearchRequest("", regex, true, false, Optional.empty(), false, Integer.MAX_VALUE);
    }
}
