package dev.tandem.hub.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.store.Store;
import dev.tandem.core.usage.RateLimit;
import dev.tandem.core.usage.Tokens;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The readers on logs the pinned CLIs really wrote (Codex 0.169/0.171, Claude Code 2.1.329/2.1.332, recorded
 * against loopback mock model APIs), totals checked against sums worked out by hand from the same files.
 */
class LogReadersTest {
    @TempDir
    Path dir;

    private Report daily(LogHome h) {
        try (Store store = h.store()) {
            h.scanner(store).scan(Duration.ZERO);
            return new Ledger(store.usage(), h.settings(), Clock.systemUTC())
                    .daily(new Query("all", Optional.empty(), Optional.empty(), true));
        }
    }

    private static Amount engine(Report r, String engine) {
        return r.totals().engines().getOrDefault(engine, Amount.ZERO);
    }

    @Test
    void codexRolloutCountsEachResponseOnceAlthoughTokenUsageRecordRepeatsIt() {
        LogHome h = new LogHome(dir);
        LogHome.copy("codex-0.169.0-rollout-full-then-resumed.jsonl", h.codexDay.resolve(LogHome.CODEX_FILE));
        Amount codex = engine(daily(h), "codex");
        // five responses: 1000/600/50/10, 1200/1000/60/0, 1300/1200/30/0, 1400/1300/25/0 and, resumed, 100/40/20/5
        assertEquals(5, codex.responses());
        assertEquals(new Tokens(5000 - 4140, 4140, 0, 0, 185, 15), codex.tokens());
        // gpt-5.5 at $5 input, $0.50 cached, $30 output per million
        assertEquals((860 * 5 + 4140 * 0.5 + 185 * 30) / 1e6, codex.costUsd(), 1e-9);
    }

    @Test
    void codexModelComesFromTurnContextAndRateLimitsFromTheLastReportedWindows() {
        LogHome h = new LogHome(dir);
        LogHome.copy("codex-0.169.0-rollout-full-then-resumed.jsonl", h.codexDay.resolve(LogHome.CODEX_FILE));
        try (Store store = h.store()) {
            h.scanner(store).scan(Duration.ZERO);
            Report r = new Ledger(store.usage(), h.settings(), Clock.systemUTC())
                    .daily(new Query("codex", Optional.empty(), Optional.empty(), true));
            assertEquals(
                    List.of("gpt-5.5"),
                    List.copyOf(r.totals().models().get("codex").keySet()));
            List<RateLimit> limits = store.usage().rateLimits();
            assertEquals(2, limits.size(), limits.toString());
            RateLimit primary = limits.stream()
                    .filter(l -> l.name().equals("primary"))
                    .findFirst()
                    .orElseThrow();
            assertEquals(12.5, primary.usedPercent());
            assertEquals(300, primary.windowMinutes());
            assertEquals(Optional.of(Instant.ofEpochSecond(1796560000)), primary.resetsAt());
            RateLimit weekly = limits.stream()
                    .filter(l -> l.name().equals("secondary"))
                    .findFirst()
                    .orElseThrow();
            assertEquals(40.0, weekly.usedPercent());
            assertEquals(10080, weekly.windowMinutes());
        }
    }

    @Test
    void codexUsageLimitAnswerWithNullInfoAddsNoResponseButItsWindows() {
        LogHome h = new LogHome(dir);
        LogHome.copy(
                "codex-0.169.0-rollout-usage-limit-429.jsonl",
                h.codexDay.resolve("rollout-2026-12-06T09-48-31-01a24ac1-4ca2-7911-8e92-0b6298a79347.jsonl"));
        try (Store store = h.store()) {
            h.scanner(store).scan(Duration.ZERO);
            Report r = new Ledger(store.usage(), h.settings(), Clock.systemUTC()).daily(Query.all());
            assertEquals(List.of(), r.rows());
            RateLimit primary = store.usage().rateLimits().stream()
                    .filter(l -> l.name().equals("primary"))
                    .findFirst()
                    .orElseThrow();
            assertEquals(100.0, primary.usedPercent());
        }
    }

    @Test
    void codex0171AndAppServerRolloutsAreReadAlike() {
        LogHome h = new LogHome(dir);
        LogHome.copy(
                "codex-0.171.0-rollout-full.jsonl",
                h.codexDay.resolve("rollout-2026-12-06T09-51-38-01a24ac4-24ac-7372-b8ab-e2f5eccdd9d1.jsonl"));
        LogHome.copy(
                "codex-0.169.0-rollout-app-server-approvals-resumed.jsonl",
                h.codexDay.resolve("rollout-2026-12-06T09-53-23-01a24ac5-c054-72b0-a7f5-887a487df8d7.jsonl"));
        Amount codex = engine(daily(h), "codex");
        assertEquals(4 + 7, codex.responses());
        assertEquals(new Tokens((4900 - 4100) + (1600 - 840), 4100 + 840, 0, 0, 165 + 170, 10 + 40), codex.tokens());
    }

    @Test
    void claudeBlocksOfOneMessageCountOnceAndMatchClaudesOwnCostState() {
        LogHome h = new LogHome(dir);
        LogHome.copy(
                "claude-2.1.329-project-log-full.jsonl",
                h.claudeProject.resolve("3f92f5f7-2f1a-40ae-ac99-abea8c585e64.jsonl"));
        Report r = daily(h);
        Amount claude = engine(r, "claude");
        // msg_mock_3 is written three times (thinking, text, tool_use); cost-state: 4600 in, 105 out, 4200 read, 250
        // written
        assertEquals(4, claude.responses());
        assertEquals(new Tokens(4600, 4200, 250, 0, 105, 0), claude.tokens());
        assertEquals(
                List.of("claude-opus-5-5"), List.copyOf(r.unpricedModels()), "an unknown model is listed, not free");
        assertEquals(4, claude.unpricedResponses());
    }

    @Test
    void claude2332LogReadsLike2329() {
        LogHome h = new LogHome(dir);
        LogHome.copy("claude-2.1.332-project-log-full.jsonl", h.claudeProject.resolve("s2332.jsonl"));
        assertEquals(
                new Tokens(4600, 4200, 250, 0, 105, 0),
                engine(daily(h), "claude").tokens());
    }

    @Test
    void claudeOneHourCacheWritesArePricedAsClaudeItselfPricesThem() {
        LogHome h = new LogHome(dir);
        LogHome.copy("claude-2.1.329-project-log-priced-sonnet.jsonl", h.claudeProject.resolve("s-priced.jsonl"));
        Amount claude = engine(daily(h), "claude");
        // 10000 in, 2000 5-minute and 1000 one-hour writes, 20000 read, 500 out on sonnet 4.5: Claude's cost-state
        // says 0.057 (totalCostUSD), as does ccusage
        assertEquals(new Tokens(10000, 20000, 2000, 1000, 500, 0), claude.tokens());
        assertEquals(0.057, claude.costUsd(), 1e-9);
    }

    @Test
    void claudeSubAgentLogCountsBesideItsSessionUnderTheParentSession() {
        LogHome h = new LogHome(dir);
        String session = "f6cdc87f-2112-4c8f-a84c-c89d5a0372d1";
        LogHome.copy("claude-subagent/session.jsonl", h.claudeProject.resolve(session + ".jsonl"));
        LogHome.copy(
                "claude-subagent/subagents-agent.jsonl",
                h.claudeProject.resolve(session + "/subagents/agent-a1d64a514ab7dfa15.jsonl"));
        try (Store store = h.store()) {
            h.scanner(store).scan(Duration.ZERO);
            Report r = new Ledger(store.usage(), h.settings(), Clock.systemUTC()).sessions(Query.all());
            assertEquals(1, r.rows().size());
            assertEquals(4, r.rows().get(0).total().responses());
            assertEquals(300 + 200 + 400 + 400, r.rows().get(0).total().tokens().input());
            assertEquals("/tmp/tr/cl.proj_1/a-b", r.rows().get(0).labels().get("project"), "from the lines' cwd");
        }
    }

    @Test
    void sampleHomeAgreesWithCcusageExceptWhereItsCacheWritesFollowTheBreakdown() throws Exception {
        LogHome h = new LogHome(dir);
        Process tar = new ProcessBuilder("tar", "xzf", "-", "-C", h.home.toString())
                .redirectErrorStream(true)
                .start();
        try (var in = tar.getOutputStream()) {
            in.write(LogHome.fixture("usage-home-sample-codex-0.169.0-claude-2.1.329.tgz"));
        }
        assertEquals(
                0,
                tar.waitFor(),
                new String(tar.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        Report r = daily(h);
        JsonMapper json = JsonMapper.builder().build();
        JsonNode codex = json.readTree(LogHome.fixture("ccusage-20.0.24-codex-daily.json"))
                .path("totals");
        Amount ours = engine(r, "codex");
        assertEquals(codex.path("inputTokens").asLong(), ours.tokens().input());
        assertEquals(codex.path("cacheReadTokens").asLong(), ours.tokens().cacheRead());
        assertEquals(codex.path("outputTokens").asLong(), ours.tokens().output());
        assertEquals(codex.path("reasoningOutputTokens").asLong(), ours.tokens().reasoning());
        assertEquals(codex.path("costUSD").asDouble(), ours.costUsd(), 1e-9);
        JsonNode claude = json.readTree(LogHome.fixture("ccusage-20.0.24-claude-daily.json"))
                .path("totals");
        Amount mine = engine(r, "claude");
        assertEquals(claude.path("inputTokens").asLong(), mine.tokens().input());
        assertEquals(claude.path("cacheReadTokens").asLong(), mine.tokens().cacheRead());
        assertEquals(claude.path("outputTokens").asLong(), mine.tokens().output());
        // the mock wrote cache_creation_input_tokens with an all-zero ephemeral breakdown; ccusage sums the
        // breakdown (0), Tandem bills cache_creation_input_tokens, as the API does
        assertEquals(0, claude.path("cacheCreationTokens").asLong());
        assertTrue(mine.tokens().cacheWrite() > 0);
        assertTrue(
                r.unpricedModels().containsAll(List.of("claude-opus-5-5", "mock-model")),
                r.unpricedModels().toString());
    }

    @Test
    void readingTheSameLogsAgainChangesNothing() throws IOException {
        LogHome h = new LogHome(dir);
        LogHome.copy("claude-2.1.329-project-log-full.jsonl", h.claudeProject.resolve("a.jsonl"));
        LogHome.copy("codex-0.169.0-rollout-full-then-resumed.jsonl", h.codexDay.resolve(LogHome.CODEX_FILE));
        Report first = daily(h);
        // a copy of the same session elsewhere (Codex archives by moving; Claude resumes by copying history)
        LogHome.copy(
                "codex-0.169.0-rollout-full-then-resumed.jsonl",
                h.home.resolve(".codex/archived_sessions/" + LogHome.CODEX_FILE));
        LogHome.copy("claude-2.1.329-project-log-full.jsonl", h.claudeProject.resolve("b.jsonl"));
        Report again = daily(h);
        assertEquals(first.totals(), again.totals());
    }
}
