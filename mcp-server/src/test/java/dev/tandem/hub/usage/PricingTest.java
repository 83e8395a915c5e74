package dev.tandem.hub.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.HubConfigLoader;
import dev.tandem.core.config.HubFlags;
import dev.tandem.core.store.Store;
import dev.tandem.core.store.StoreSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prices that depend on the single request: a prompt over a long-context threshold is priced at the higher rates as
 * a whole, Claude's fast mode multiplies the price, and both can be set in hub.toml. Log lines in the shapes the
 * pinned CLIs write (see {@link LogReadersTest}), read into a real store; costs worked out by hand.
 */
class PricingTest {
    @TempDir
    Path dir;

    /** An assistant line as Claude Code 2.1.329 writes it, with the given usage. */
    private static String claude(String id, String model, long input, long cacheRead, long output, String speed) {
        return "{\"parentUuid\":null,\"isSidechain\":false,\"message\":{\"id\":\"" + id
                + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + model
                + "\",\"content\":[{\"type\":\"text\",\"text\":\"ok\"}],\"stop_reason\":\"end_turn\","
                + "\"usage\":{\"input_tokens\":" + input + ",\"cache_creation_input_tokens\":0,"
                + "\"cache_read_input_tokens\":" + cacheRead + ",\"output_tokens\":" + output
                + ",\"service_tier\":\"standard\",\"cache_creation\":{\"ephemeral_1h_input_tokens\":0,"
                + "\"ephemeral_5m_input_tokens\":0},\"speed\":\"" + speed + "\"}},\"requestId\":\"req_" + id
                + "\",\"type\":\"assistant\",\"uuid\":\"u-" + id + "\",\"timestamp\":\"2026-12-06T10:00:00.000Z\","
                + "\"cwd\":\"/w\",\"sessionId\":\"s1\",\"version\":\"2.1.329\"}\n";
    }

    private static void append(Path log, String lines) throws IOException {
        Files.createDirectories(log.getParent());
        LogHome.append(log, lines);
    }

    private Report read(String toml) throws IOException {
        Path config = Files.writeString(dir.resolve("hub.toml"), "[memory]\nhost = \"box\"\n" + toml);
        Path home = dir.resolve("home");
        HubConfig c = new HubConfigLoader(home, dir, dir, Map.of()).load(Optional.of(config), HubFlags.none());
        UsageSettings settings = UsageSettings.from(c);
        try (Store store = Store.open(new StoreSettings(dir.resolve("data/memory.db"), "box"))) {
            new UsageScanner(store.usage(), settings, dir.resolve("data/usage-scan.lock"), Clock.systemUTC())
                    .scan(Duration.ZERO);
            return new Ledger(store.usage(), settings, Clock.systemUTC()).daily(Query.all());
        }
    }

    private static double cost(Report r, String engine) {
        return r.totals().engines().getOrDefault(engine, Amount.ZERO).costUsd();
    }

    @Test
    void aClaudePromptOverTwoHundredThousandTokensIsPricedWholeAtTheLongContextRates() throws IOException {
        append(
                dir.resolve("home/.claude/projects/-w/s1.jsonl"),
                claude("m1", "claude-sonnet-4-5-20250929", 150_000, 60_000, 1000, "standard")
                        + claude("m2", "claude-sonnet-4-5-20250929", 100_000, 100_000, 1000, "standard"));
        // m1: 210,000 prompt tokens, all at $6 / $0.60 cached / $22.50 out; m2: exactly 200,000, normal rates
        double m1 = (150_000 * 6.0 + 60_000 * 0.6 + 1000 * 22.5) / 1e6;
        double m2 = (100_000 * 3.0 + 100_000 * 0.3 + 1000 * 15.0) / 1e6;
        assertEquals(m1 + m2, cost(read(""), "claude"), 1e-9);
    }

    @Test
    void fastModeMultipliesThePriceOfTheModelsThatHaveIt() throws IOException {
        append(
                dir.resolve("home/.claude/projects/-w/s1.jsonl"),
                claude("m1", "claude-opus-4-8", 1000, 0, 100, "fast")
                        + claude("m2", "claude-opus-4-8", 1000, 0, 100, "standard")
                        + claude("m3", "claude-haiku-4-5", 1000, 0, 100, "fast"));
        double opus = (1000 * 5.0 + 100 * 25.0) / 1e6;
        double haiku = (1000 * 1.0 + 100 * 5.0) / 1e6; // no fast multiplier in the table
        assertEquals(opus * 2 + opus + haiku, cost(read(""), "claude"), 1e-9);
    }

    @Test
    void hubTomlCanGiveACodexModelLongContextRatesAndAFastMultiplier() throws IOException {
        Path rollout = dir.resolve("home/.codex/sessions/2026/12/06/" + LogHome.CODEX_FILE);
        append(
                rollout,
                UsageScannerTest.codexHead("t1", "gpt-5.4")
                        + UsageScannerTest.tokenCount(
                                new long[] {300_000, 100_000, 1000, 0},
                                new long[] {300_000, 100_000, 1000, 0},
                                "2026-12-06T10:00:01Z")
                        + UsageScannerTest.tokenCount(
                                new long[] {310_000, 105_000, 1100, 0},
                                new long[] {10_000, 5000, 100, 0},
                                "2026-12-06T10:00:02Z"));
        append(
                dir.resolve("home/.claude/projects/-w/s1.jsonl"),
                claude("m1", "claude-sonnet-4-5", 1000, 0, 100, "fast"));
        Report r = read("""
                [usage.prices."gpt-5.4"]
                long_context = { threshold = 272000, input = 5.0, cached_input = 0.5, output = 22.5 }
                [usage.prices."claude-sonnet-4-5"]
                fast_multiplier = 6
                """);
        // the first response's prompt (300,000 input tokens, cached included) is over 272,000: long rates
        double first = (200_000 * 5.0 + 100_000 * 0.5 + 1000 * 22.5) / 1e6;
        double second = (5000 * 2.5 + 5000 * 0.25 + 100 * 15.0) / 1e6;
        assertEquals(first + second, cost(r, "codex"), 1e-9);
        assertEquals((1000 * 3.0 + 100 * 15.0) / 1e6 * 6, cost(r, "claude"), 1e-9);
    }
}
