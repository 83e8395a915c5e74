package dev.tandem.hub.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.core.store.Store;
import dev.tandem.core.store.StoreSettings;
import dev.tandem.core.usage.FileCursor;
import dev.tandem.core.usage.RateLimit;
import dev.tandem.core.usage.UsageBatch;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rate-limit windows of a report: every host's for the fleet, the chosen host's when one is chosen. */
class BlocksByHostTest {
    @TempDir
    Path dir;

    @Test
    void aReportOfOneHostShowsTheWindowsItsLogsReportedAndTheFleetsShowsEveryHosts() {
        LogHome h = new LogHome(dir);
        Instant now = Instant.now();
        try (Store store = Store.open(new StoreSettings(h.data.resolve(StoreSettings.FILE_NAME), "desktop"))) {
            FileCursor cursor = new FileCursor("/l/r.jsonl", "codex", "(1,2)", 10, 1L, 10, "h", "{}", now);
            RateLimit desktop = new RateLimit(
                    "codex", "primary", 40, 300, Optional.of(now.plusSeconds(3600)), now.minusSeconds(60));
            RateLimit laptop = new RateLimit(
                    "codex", "primary", 90, 300, Optional.of(now.plusSeconds(3600)), now.minusSeconds(30));
            store.usage().apply(new UsageBatch(Optional.empty(), cursor, List.of(), List.of(desktop), List.of()));
            store.usage("laptop")
                    .apply(new UsageBatch(Optional.empty(), cursor, List.of(), List.of(laptop), List.of()));
            Blocks blocks = new Blocks(
                    new Ledger(store.usage(), h.settings(), Clock.systemUTC()), store.usage(), Clock.systemUTC());
            assertEquals(List.of(90.0), percents(blocks.report(query(Optional.of("laptop")))));
            assertEquals(List.of(40.0), percents(blocks.report(query(Optional.of("desktop")))));
            assertEquals(
                    List.of(40.0, 90.0),
                    percents(blocks.report(query(Optional.empty()))).stream()
                            .sorted()
                            .toList());
        }
    }

    private static Query query(Optional<String> host) {
        return new Query("codex", Optional.empty(), Optional.empty(), false, host);
    }

    private static List<Double> percents(Blocks.BlocksReport report) {
        return report.windows().stream()
                .filter(w -> w.source().equals("log"))
                .map(w -> w.usedPercent().orElseThrow())
                .toList();
    }
}
