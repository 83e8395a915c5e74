package dev.tandem.hub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.hub.Main;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code tandem usage …} as a person runs it, without a hub: real logs in a temp home, a real store. */
class UsageCommandTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private Path home;
    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    @BeforeEach
    void placeLogs() throws IOException {
        home = dir.resolve("home");
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        place(
                "codex-0.169.0-rollout-full-then-resumed.jsonl",
                home.resolve(
                        ".codex/sessions/2026/12/06/rollout-2026-12-06T09-47-36-01a24ac0-74fc-7a52-ae8c-1406daf122fd.jsonl"),
                today);
        place(
                "claude-2.1.329-project-log-priced-sonnet.jsonl",
                home.resolve(".claude/projects/-p/priced.jsonl"),
                today);
        place("claude-2.1.329-project-log-full.jsonl", home.resolve(".claude/projects/-p/full.jsonl"), today);
    }

    private static void place(String fixture, Path target, String day) throws IOException {
        try (InputStream in = UsageCommandTest.class.getResourceAsStream("/usage/" + fixture)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("2026-12-06T", day + "T");
            Files.createDirectories(target.getParent());
            Files.writeString(target, text, StandardCharsets.UTF_8);
        }
    }

    private Path config(String extra) {
        try {
            return Files.writeString(
                    dir.resolve("hub.toml"),
                    "[memory]\nhost = \"box\"\n[usage]\ntimezone = \"UTC\"\ncodex_home = \"" + home.resolve(".codex")
                            + "\"\nclaude_dirs = [\"" + home.resolve(".claude") + "\"]\n" + extra);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private int usage(String extra, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("usage"));
        all.addAll(List.of(args));
        all.addAll(List.of(
                "--config",
                config(extra).toString(),
                "--data-dir",
                dir.resolve("data").toString()));
        return run(all.toArray(String[]::new));
    }

    @Test
    void dailyJsonPutsBothEnginesSideBySideWithTheirTotal() {
        assertEquals(0, usage("", "daily", "--json"), err.toString());
        JsonNode r = JSON.readTree(out.toString());
        assertEquals("daily", r.path("report").asString());
        assertEquals(1, r.path("version").asInt());
        assertEquals("UTC", r.path("timezone").asString());
        JsonNode day = r.path("rows").get(0);
        assertEquals(LocalDate.now(ZoneOffset.UTC).toString(), day.path("key").asString());
        assertEquals(0.01192, day.path("engines").path("codex").path("costUSD").asDouble(), 1e-9);
        assertEquals(0.057, day.path("engines").path("claude").path("costUSD").asDouble(), 1e-9);
        assertEquals(0.06892, day.path("total").path("costUSD").asDouble(), 1e-9);
        assertEquals(5 + 4 + 1, r.path("totals").path("total").path("responses").asInt());
        assertEquals("claude-opus-5-5", r.path("unpricedModels").get(0).asString());
        assertEquals(List.of("box"), List.of(r.path("hosts").get(0).asString()));
    }

    @Test
    void breakdownByModelListsTheModelsUnderEachEngine() {
        assertEquals(0, usage("", "monthly", "--json", "--breakdown", "model", "--engine", "claude"), err.toString());
        JsonNode models = JSON.readTree(out.toString())
                .path("totals")
                .path("engines")
                .path("claude")
                .path("models");
        assertEquals(List.of("claude-opus-5-5", "claude-sonnet-4-5-20250929"), List.copyOf(models.propertyNames()));
        assertTrue(JSON.readTree(out.toString())
                .path("totals")
                .path("engines")
                .path("codex")
                .isMissingNode());
    }

    @Test
    void tableShowsEachEngineTheirTotalAndTheUnpricedModel() {
        assertEquals(0, usage("", "daily"), err.toString());
        String table = out.toString();
        assertTrue(table.contains("codex"), table);
        assertTrue(table.contains("claude"), table);
        assertTrue(table.contains("both"), table);
        assertTrue(table.contains("$0.07*"), table); // the total, marked: it leaves out claude-opus-5-5
        assertTrue(table.contains("claude-opus-5-5"), table);
    }

    @Test
    void checkExitsOneWhenABudgetIsSpentAndZeroOtherwise() {
        assertEquals(1, usage("daily_usd = 0.05\n", "--check"), out + err.toString());
        assertTrue(out.toString().startsWith("OVER: total daily budget"), out.toString());
        assertEquals(0, usage("daily_usd = 1.0\n[usage.codex]\nmonthly_usd = 0.014\n", "--check"), err.toString());
        assertTrue(out.toString().contains("WARNING: codex monthly budget"), out.toString());
    }

    @Test
    void blocksShowCodexWindowsWithTheirUsedPercentAndClaudesWithout() {
        assertEquals(0, usage("", "blocks", "--json"), err.toString());
        JsonNode windows = JSON.readTree(out.toString()).path("windows");
        boolean codexPrimary = false;
        boolean claudeBlock = false;
        for (JsonNode w : windows) {
            codexPrimary |= w.path("engine").asString().equals("codex")
                    && w.path("name").asString().equals("primary")
                    && w.path("usedPercent").asDouble() == 12.5;
            claudeBlock |= w.path("engine").asString().equals("claude")
                    && w.path("source").asString().equals("block")
                    && w.path("usedPercent").isNull();
        }
        assertTrue(codexPrimary && claudeBlock, windows.toString());
    }

    @Test
    void aBadDateOrEngineIsOneLineNamingIt() {
        assertEquals(2, usage("", "daily", "--since", "2026-13-01"));
        assertEquals(
                "tandem: --since 2026-13-01: expected a date as YYYY-MM-DD or YYYYMMDD",
                err.toString().strip());
        assertEquals(2, usage("", "daily", "--engine", "gemini"));
        assertEquals(
                "tandem: engine must be codex, claude or all, not 'gemini'",
                err.toString().strip());
    }

    @Test
    void aBadPriceInHubTomlNamesTheFileLineAndKey() {
        assertEquals(2, usage("[usage.prices.\"my-model\"]\ninput = \"cheap\"\noutput = 1\n", "daily"));
        String e = err.toString().strip();
        assertTrue(
                e.matches("tandem: .*hub\\.toml:\\d+:\\d+: \\[usage\\.prices\\.my-model\\] input must be a number.*"),
                e);
    }

    @Test
    void aPriceInHubTomlPricesAModelTheTableLacks() {
        assertEquals(0, usage("""
                        [usage.prices."claude-opus-5-5"]
                        input = 5.0
                        output = 25.0
                        cached_input = 0.5
                        cache_write = 6.25
                        """, "daily", "--json", "--engine", "claude"), err.toString());
        JsonNode r = JSON.readTree(out.toString());
        assertEquals(0, r.path("unpricedModels").size(), out.toString());
        // 4600 in, 105 out, 4200 read, 250 written at opus 4.5's rates, plus the priced sonnet's 0.057
        double opus = (4600 * 5.0 + 105 * 25.0 + 4200 * 0.5 + 250 * 6.25) / 1e6;
        assertEquals(
                opus + 0.057,
                r.path("totals").path("total").path("costUSD").asDouble(),
                1e-6); // JSON rounds to a millionth
    }
}
