package dev.tandem.hub.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.store.Store;
import dev.tandem.core.usage.Tokens;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub makes its usage poller at start and starts it once it listens: until then nothing is read, and a request
 * that wants fresh figures waits for the first round instead of answering from an empty store.
 */
class UsagePollerTest {
    @TempDir
    Path dir;

    private static Tokens claudeTokens(LogHome h, Store store) {
        return new Ledger(store.usage(), h.settings(), Clock.systemUTC())
                .daily(Query.all())
                .totals()
                .engines()
                .getOrDefault("claude", Amount.ZERO)
                .tokens();
    }

    @Test
    void aPollerNotYetStartedReadsNothing() throws Exception {
        LogHome h = new LogHome(dir);
        LogHome.append(
                h.claudeProject.resolve("s1.jsonl"), UsageScannerTest.claude("m1", 100, 10, "2026-12-06T10:00:01Z"));
        try (Store store = h.store();
                UsagePoller poller = UsagePoller.create(h.scanner(store), Duration.ofHours(1))) {
            assertFalse(poller.fresh(Duration.ofMillis(300)), "no round ran before start");
            assertEquals(Tokens.ZERO, claudeTokens(h, store));
        }
    }

    @Test
    void aFreshAnswerAskedBeforeTheStartWaitsForTheFirstRound() throws Exception {
        LogHome h = new LogHome(dir);
        LogHome.append(
                h.claudeProject.resolve("s1.jsonl"), UsageScannerTest.claude("m1", 100, 10, "2026-12-06T10:00:01Z"));
        try (Store store = h.store();
                UsagePoller poller = UsagePoller.create(h.scanner(store), Duration.ofHours(1));
                ExecutorService pool = Executors.newSingleThreadExecutor()) {
            Future<Boolean> asked = pool.submit(() -> poller.fresh(Duration.ofMinutes(1)));
            Thread.sleep(200);
            assertFalse(asked.isDone(), "waits for the poller");
            poller.start();
            poller.start(); // a second start does nothing
            assertTrue(asked.get(), "the first round read the logs");
            assertEquals(new Tokens(100, 0, 0, 0, 10, 0), claudeTokens(h, store));
        }
    }

    /**
     * Logs full of damaged lines hold little in the hub: the damaged logs its rounds found wait for the next answer
     * up to {@link UsagePoller#DAMAGED_HELD}, the rest as a count, and an answer takes them once.
     */
    @Test
    void theDamagedLogsRoundsFoundWaitForOneAnswerUpToABoundAndTheRestAreCounted() throws Exception {
        LogHome h = new LogHome(dir);
        int logs = UsagePoller.DAMAGED_HELD + 5;
        for (int i = 0; i < logs; i++) {
            LogHome.append(
                    h.claudeProject.resolve("d" + i + ".jsonl"),
                    UsageScannerTest.claude("m" + i, 9_000_000_000_000_000_000L, 1, "2026-12-06T10:00:01Z"));
        }
        try (Store store = h.store();
                UsagePoller poller = UsagePoller.create(h.scanner(store), Duration.ofHours(1))) {
            poller.start();
            assertTrue(poller.fresh(Duration.ofMinutes(1)), "the round read the logs");
            UsagePoller.Damaged taken = poller.takeDamaged();
            assertEquals(UsagePoller.DAMAGED_HELD, taken.logs().size());
            assertEquals(5, taken.more());
            UsageScanner.DamagedLog d = taken.logs().get(0);
            assertEquals(1, d.responses());
            assertEquals(0, d.firstByte());
            assertTrue(d.warning().contains(d.file().toString()), d.warning());
            for (String named : List.of(LogHome.CLAUDE_PROJECT, ".jsonl", dir.toString())) {
                assertFalse(d.warningWithoutPath().contains(named), d.warningWithoutPath());
            }
            assertEquals(new UsagePoller.Damaged(List.of(), 0), poller.takeDamaged(), "taken once");
        }
    }
}
