package dev.tandem.hub.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.HubConfigLoader;
import dev.tandem.core.config.HubFlags;
import dev.tandem.core.store.Store;
import dev.tandem.core.store.StoreSettings;
import dev.tandem.core.usage.FileCursor;
import dev.tandem.core.usage.Tokens;
import dev.tandem.core.usage.UsageBatch;
import dev.tandem.core.usage.UsageEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same ledger gives the same report whatever order its logs were read in. Readers run in parallel, so the order
 * in which sessions first reach a store (and the ids it gives them) differs from run to run, and between the hub and
 * a standalone {@code tandem usage}; costs are summed in floating point, where order changes the last digits.
 */
class ReportOrderTest {
    @TempDir
    Path dir;

    private static final Instant AT = Instant.parse("2026-12-06T10:00:00Z");

    /** Responses of 300 sessions in one 15-minute bucket, with token counts that do not sum exactly in dollars. */
    private static List<UsageEvent> events() {
        List<UsageEvent> out = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long input = 1_000 + (i * 7_919L) % 50_000;
            long output = 10 + (i * 104_729L) % 9_000;
            out.add(new UsageEvent(
                    UsageEvent.keyOf("claude", "m" + i),
                    "claude",
                    AT.plusSeconds(i),
                    "s" + i,
                    "/w",
                    i % 2 == 0 ? "claude-sonnet-4-5-20250929" : "claude-haiku-4-5-20251001",
                    0,
                    new Tokens(input, input / 3, input / 7, 0, output, 0)));
        }
        return out;
    }

    /** Writes each response in its own transaction, in the given order, and returns the daily report. */
    private Report report(String name, List<UsageEvent> order) throws IOException {
        Path config = Files.writeString(dir.resolve(name + ".toml"), "[memory]\nhost = \"box\"\n");
        HubConfig c =
                new HubConfigLoader(dir.resolve("home"), dir, dir, Map.of()).load(Optional.of(config), HubFlags.none());
        UsageSettings settings = UsageSettings.from(c);
        try (Store store = Store.open(new StoreSettings(dir.resolve(name + "/memory.db"), "box"))) {
            for (UsageEvent e : order) {
                FileCursor to =
                        new FileCursor("/logs/" + e.session() + ".jsonl", "claude", "(1,2)", 10, 1L, 10, "h", "{}", AT);
                List<UsageBatch> refused = store.usage()
                        .apply(List.of(new UsageBatch(Optional.empty(), to, List.of(e), List.of(), List.of())));
                assertTrue(refused.isEmpty());
            }
            return new Ledger(store.usage(), settings, Clock.systemUTC()).daily(Query.all());
        }
    }

    @Test
    void aLedgerReadInAnotherOrderGivesTheSameReport() throws IOException {
        List<UsageEvent> forward = events();
        List<UsageEvent> backward = new ArrayList<>(forward);
        Collections.reverse(backward);
        Report a = report("a", forward);
        Report b = report("b", backward);
        // to the last bit of each sum, not only as printed (rounded to the micro-dollar, a difference shows only
        // when a sum lies near a rounding boundary)
        assertTrue(a.totals().total().costUsd() > 0, a.toString());
        assertEquals(a.rows(), b.rows());
        assertEquals(a.totals(), b.totals());
    }
}
