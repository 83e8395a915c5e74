package dev.tandem.hub.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SummariesTest {
    @Test
    void callersSummaryWinsAndIsMadeOneLine() {
        assertEquals("two lines", Summaries.of(" two\n lines ", "Content. More."));
    }

    @Test
    void firstSentenceOfFirstLineWithoutMarkdownHeading() {
        assertEquals("Build with Maven.", Summaries.of("", "\n# Build with Maven. Then test.\nMore"));
    }

    @Test
    void longSentenceIsCutAtAWordWithEllipsis() {
        String s = Summaries.of("", "word ".repeat(60));
        assertTrue(s.length() <= Summaries.MAX_CHARS, s);
        assertTrue(s.endsWith("word…"), s);
    }

    @Test
    void decimalPointDoesNotEndTheSentence() {
        assertEquals("Version 2.1 is out.", Summaries.of("", "Version 2.1 is out. Upgrade."));
    }
}
