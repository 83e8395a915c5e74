package dev.tandem.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class TerminalTextTest {
    private static final String EVIL = "a\u001b]52;c;ZXZpbA==\u0007\u009b2J\u202e\u200b\u2028\u007fz";
    private static final String SHOWN = "a\\u001b]52;c;ZXZpbA==\\u0007\\u009b2J\\u202e\\u200b\\u2028\\u007fz";

    @Test
    void safeShowsEveryControlAndFormatCharacterTabAndNewlineToo() {
        assertEquals(SHOWN + "\\u0009\\u000a\\u000d", TerminalText.safe(EVIL + "\t\n\r"));
        assertEquals("plain 日本 😀", TerminalText.safe("plain 日本 😀"));
    }

    @Test
    void linesKeepsNewlinesOnlyAndOutputKeepsTabsToo() {
        assertEquals(SHOWN + "\n\\u0009x", TerminalText.lines(EVIL + "\n\tx"));
        assertEquals(SHOWN + "\n\tx\\u000d", TerminalText.output(EVIL + "\n\tx\r"));
    }

    @Test
    void jsonEscapesWhatItsWriterLeftRawAndParsesToTheSameValue() {
        JsonMapper json = JsonMapper.builder().build();
        String written =
                json.writerWithDefaultPrettyPrinter().writeValueAsString(java.util.Map.of("k\u009b", EVIL + " 😀\t"));
        String safe = TerminalText.json(written);
        for (char c : (EVIL + "\t").toCharArray()) {
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT || c == '\u2028') {
                assertEquals(-1, safe.indexOf(c), () -> String.format("U+%04X raw in %s", (int) c, safe));
            }
        }
        assertEquals(json.readTree(written), json.readTree(safe));
        String plain = json.writeValueAsString(java.util.Map.of("k", "plain 日本 😀 \u00e9"));
        assertEquals(plain, TerminalText.json(plain));
    }

    /** A tag character (U+E0069, invisible) lies outside the 16-bit range: looked at char by char, it passed raw. */
    @Test
    void jsonEscapesFormatCharactersOutsideTheSixteenBitRangeToo() {
        JsonMapper json = JsonMapper.builder().build();
        String tag = new String(Character.toChars(0xE0069));
        String written = json.writeValueAsString(java.util.Map.of("k", "a" + tag + "b 😀"));
        String safe = TerminalText.json(written);
        assertEquals(-1, safe.indexOf(tag), safe);
        assertTrue(safe.contains("\\udb40\\udc69"), safe);
        assertTrue(safe.contains("😀"), safe);
        assertEquals(json.readTree(written), json.readTree(safe));
    }
}
