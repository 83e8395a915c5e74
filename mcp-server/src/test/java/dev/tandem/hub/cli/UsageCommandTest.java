package dev.tandem.hub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.Map;
import java.util.TreeMap;
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
    void aDamagedResponseIsLeftOutAndTheTableAndJsonSaySo() throws IOException {
        assertEquals(0, usage("", "daily", "--json"), err.toString());
        assertEquals(0, JSON.readTree(out.toString()).path("damagedResponses").asInt(-1));
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        Files.writeString(
                home.resolve(".claude/projects/-p/damaged.jsonl"),
                "{\"type\":\"assistant\",\"message\":{\"id\":\"msg_x\",\"role\":\"assistant\",\"model\":"
                        + "\"claude-sonnet-4-5\",\"usage\":{\"input_tokens\":1000000001,\"output_tokens\":1}},"
                        + "\"requestId\":\"req_x\",\"timestamp\":\"" + today + "T01:00:00Z\",\"sessionId\":\"s\"}\n");
        assertEquals(0, usage("", "daily"), err.toString());
        String table = out.toString();
        assertTrue(
                table.contains(
                        "! 1 response not counted: damaged log lines give a token count or model name no response has"),
                table);
        assertEquals(0, usage("", "daily", "--json", "--no-scan"), err.toString());
        JsonNode r = JSON.readTree(out.toString());
        assertEquals(1, r.path("damagedResponses").asInt());
        assertEquals(5 + 4 + 1, r.path("totals").path("total").path("responses").asInt(), "the rest as before");
        // blocks as well: its table and its JSON
        assertEquals(0, usage("", "blocks", "--no-scan"), err.toString());
        assertTrue(out.toString().contains("! 1 response not counted: damaged log lines"), out.toString());
        assertEquals(0, usage("", "blocks", "--json", "--no-scan"), err.toString());
        assertEquals(1, JSON.readTree(out.toString()).path("damagedResponses").asInt(-1));
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

    private Map<String, JsonNode> rows(String... args) {
        assertEquals(0, usage("", args), err.toString());
        Map<String, JsonNode> out = new TreeMap<>();
        JSON.readTree(this.out.toString())
                .path("rows")
                .forEach(r -> out.put(r.path("key").asString(), r));
        return out;
    }

    @Test
    void sessionReportHasOneRowPerSessionWithItsEngineProjectAndCost() {
        Map<String, JsonNode> rows = rows("session", "--json");
        assertEquals(
                List.of(
                        "claude/219dafed-6ae9-47b1-9d3f-08a280dc7ddf",
                        "claude/3f92f5f7-2f1a-40ae-ac99-abea8c585e64",
                        "codex/01a24ac0-74fc-7a52-ae8c-1406daf122fd"),
                List.copyOf(rows.keySet()));
        JsonNode codex = rows.get("codex/01a24ac0-74fc-7a52-ae8c-1406daf122fd");
        assertEquals("codex", codex.path("engine").asString());
        assertEquals("/tmp/tr/proj1", codex.path("project").asString(), "from the rollout's cwd");
        assertEquals(5, codex.path("total").path("responses").asInt());
        assertEquals(0.01192, codex.path("total").path("costUSD").asDouble(), 1e-9);
        JsonNode sonnet = rows.get("claude/219dafed-6ae9-47b1-9d3f-08a280dc7ddf");
        assertEquals("/tmp/tr/cl3", sonnet.path("project").asString(), "from the lines' cwd, not the folder -p");
        assertEquals(0.057, sonnet.path("total").path("costUSD").asDouble(), 1e-9);
        assertTrue(sonnet.path("hubCalls").isArray(), sonnet.toString());
    }

    @Test
    void projectReportSumsEachFolderTheEnginesRanIn() {
        Map<String, JsonNode> rows = rows("project", "--json");
        assertEquals(List.of("/tmp/tr/cl.proj_1/a-b", "/tmp/tr/cl3", "/tmp/tr/proj1"), List.copyOf(rows.keySet()));
        assertEquals(
                4,
                rows.get("/tmp/tr/cl.proj_1/a-b")
                        .path("total")
                        .path("responses")
                        .asInt());
        assertEquals(
                0.01192,
                rows.get("/tmp/tr/proj1")
                        .path("engines")
                        .path("codex")
                        .path("costUSD")
                        .asDouble(),
                1e-9);
    }

    @Test
    void sinceAndUntilKeepOnlyTheDaysBetweenThem() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertEquals(
                List.of(today.toString()),
                List.copyOf(rows("daily", "--json", "--since", today.toString(), "--until", today.toString())
                        .keySet()));
        assertEquals(
                List.of(),
                List.copyOf(rows("daily", "--json", "--since", today.plusDays(1).toString())
                        .keySet()));
        assertEquals(
                List.of(),
                List.copyOf(rows(
                                "session",
                                "--json",
                                "--until",
                                today.minusDays(1).toString().replace("-", ""))
                        .keySet()));
        assertEquals(
                2,
                usage(
                        "",
                        "daily",
                        "--since",
                        today.toString(),
                        "--until",
                        today.minusDays(1).toString()));
        assertTrue(err.toString().strip().startsWith("tandem: --until "), err.toString());
    }

    @Test
    void everyTableEndsWithTheBudgetsNearOrOverTheirLimit() {
        assertEquals(0, usage("daily_usd = 0.05\n[usage.codex]\nmonthly_usd = 0.014\n", "daily"), err.toString());
        String table = out.toString();
        assertTrue(table.contains("OVER: total daily budget"), table);
        assertTrue(table.contains("WARNING: codex monthly budget"), table);
        assertEquals(0, usage("daily_usd = 10.0\n", "daily"), err.toString());
        assertFalse(out.toString().contains("budget"), "a budget far from its limit is not shown: " + out);
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
