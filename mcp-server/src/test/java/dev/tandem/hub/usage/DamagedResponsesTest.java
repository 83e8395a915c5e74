package dev.tandem.hub.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a damaged response leaves behind: the read's warning says how many responses and why, as the reports do, and
 * every report kind says it left them out.
 */
class DamagedResponsesTest {
    @TempDir
    Path dir;

    private static List<String> warnings(Runnable run) {
        return UsageScannerTest.warnings(run);
    }

    @Test
    void oneResponseOnTwoDamagedLinesIsOneResponseInTheWarningAsInTheReport() {
        LogHome h = new LogHome(dir);
        Path log = h.claudeProject.resolve("s1.jsonl");
        // Claude Code writes one line per content block of a response: two lines, one response
        String damaged = UsageScannerTest.claude("m0", 9_000_000_000_000_000_000L, 1, "2026-12-06T10:00:01Z");
        LogHome.append(log, damaged + damaged);
        try (Store store = h.store()) {
            List<String> w = warnings(() -> h.scanner(store).scan(Duration.ZERO));
            Report r = new Ledger(store.usage(), h.settings(), Clock.systemUTC()).daily(Query.all());
            assertEquals(1, r.damagedResponses());
            assertEquals(1, w.size(), w.toString());
            assertTrue(w.get(0).contains(": 1 response not counted"), w.get(0));
        }
    }

    @Test
    void aLogWithMoreDamagedResponsesThanTheReadHoldsKeysForCountsEachInTheWarningAndTheReport() throws Exception {
        LogHome h = new LogHome(dir);
        Path log = h.claudeProject.resolve("s1.jsonl");
        int responses = DamagedTally.HELD + 4_464;
        String first = null;
        try (java.io.Writer w = java.nio.file.Files.newBufferedWriter(log)) {
            for (int i = 0; i < responses; i++) {
                String line = UsageScannerTest.claude("m" + i, 9_000_000_000_000_000_000L, 1, "2026-12-06T10:00:01Z");
                first = first == null ? line : first;
                w.write(line);
                if (i >= DamagedTally.HELD) {
                    w.write(line); // past the held keys, a response on two lines is still one
                }
            }
            w.write(first); // a held response, again far from its first line: still one
        }
        try (Store store = h.store()) {
            List<String> w = warnings(() -> h.scanner(store).scan(Duration.ZERO));
            Report r = new Ledger(store.usage(), h.settings(), Clock.systemUTC()).daily(Query.all());
            assertEquals(responses, r.damagedResponses(), "every damaged response is in the store and the report");
            assertEquals(1, w.size(), w.toString());
            assertTrue(w.get(0).contains(": " + responses + " responses not counted"), w.get(0));
        }
    }

    @Test
    void aResponseLeftOutForItsModelNameIsNotSaidToClaimTooManyTokens() {
        LogHome h = new LogHome(dir);
        Path log = h.claudeProject.resolve("s1.jsonl");
        String model = "claude-" + "x".repeat(200);
        LogHome.append(log, UsageScannerTest.claude("m0", "req_m0", model, 100, 10, "2026-12-06T10:00:01Z", "text"));
        try (Store store = h.store()) {
            List<String> w = warnings(() -> h.scanner(store).scan(Duration.ZERO));
            Report r = new Ledger(store.usage(), h.settings(), Clock.systemUTC()).daily(Query.all());
            assertEquals(1, r.damagedResponses(), "left out as damaged");
            assertEquals(1, w.size(), w.toString());
            assertFalse(w.get(0).contains("tokens of a kind"), "100 input and 10 output tokens are no damage: " + w);
        }
    }

    @Test
    void theBlocksReportSaysHowManyResponsesItLeftOutAsDamaged() {
        LogHome h = new LogHome(dir);
        Path log = h.claudeProject.resolve("s1.jsonl");
        String at = Instant.now()
                .minus(Duration.ofHours(1))
                .truncatedTo(ChronoUnit.SECONDS)
                .toString();
        LogHome.append(log, UsageScannerTest.claude("m0", 9_000_000_000_000_000_000L, 1, at));
        try (Store store = h.store()) {
            h.scanner(store).scan(Duration.ZERO);
            Ledger ledger = new Ledger(store.usage(), h.settings(), Clock.systemUTC());
            assertEquals(1, ledger.daily(Query.all()).damagedResponses(), "daily --json says so");
            Blocks.BlocksReport blocks = new Blocks(ledger, store.usage(), Clock.systemUTC()).report(Query.all());
            Map<String, Object> json = ReportJson.of(blocks, "UTC");
            // docs/usage.md, "Damaged lines": `damagedResponses` in every --json report
            assertEquals(1L, json.get("damagedResponses"), json.keySet().toString());
        }
    }
}
