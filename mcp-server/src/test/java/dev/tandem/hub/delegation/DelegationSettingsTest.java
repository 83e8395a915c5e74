package dev.tandem.hub.delegation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.config.ConfigException;
import dev.tandem.core.config.Section;
import dev.tandem.core.usage.RateLimit;
import dev.tandem.hub.runs.Engine;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tomlj.Toml;

/** {@code [delegation]} and {@code [delegation.suggest]} as read from hub.toml, and the rules they give. */
class DelegationSettingsTest {
    private static final Path FILE = Path.of("/home/me/.tandem/hub.toml");

    private static DelegationSettings read(String toml) {
        return DelegationSettings.from(
                Section.of(FILE, "delegation", Toml.parse(toml).getTableOrEmpty("delegation"), FILE.getParent()));
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        DelegationSettings d = read("");
        assertEquals(3, d.maxConcurrent());
        assertEquals(1, d.maxDepth());
        assertEquals(Duration.ofMinutes(30), d.timeout());
        assertEquals(1024 * 1024, d.outputCapBytes());
        assertEquals(2, d.sandboxes().size(), "no danger-full-access by default");
        assertEquals(SuggestRules.defaults(), d.suggest());
    }

    @Test
    void anUnknownKeyIsNamedWithFileAndLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> read("[delegation]\nmax_conc = 2\n"));
        assertTrue(e.getMessage().startsWith(FILE + ":2:1: [delegation] max_conc"), e.getMessage());
    }

    @Test
    void aTaskTypeMustNameAnEngine() {
        ConfigException e = assertThrows(
                ConfigException.class, () -> read("[delegation.suggest.task_types]\nreview = \"gemini\"\n"));
        assertTrue(e.getMessage().contains("must be codex or claude"), e.getMessage());
    }

    @Test
    void configuredRulesDecideTheSuggestion() {
        SuggestRules rules = read("""
                [delegation.suggest]
                codex_keywords = ["migration"]
                claude_keywords = []
                [delegation.suggest.task_types]
                review = "codex"
                """).suggest();
        EngineSuggestion s = EngineSuggestion.of(
                rules, "review the migration", Optional.of("review"), Optional.empty(), Optional.empty());
        assertEquals(Engine.CODEX, s.recommended());
        assertEquals(1.0, s.confidence());
        assertEquals(List.of(new EngineSuggestion.Alternative(Engine.CLAUDE, 0.0)), s.alternatives());
    }

    @Test
    void nothingMatchingIsATieAtHalfConfidence() {
        EngineSuggestion s = EngineSuggestion.of(
                SuggestRules.defaults(), "hello", Optional.empty(), Optional.empty(), Optional.empty());
        assertEquals(0.5, s.confidence());
        assertTrue(s.reasoning().startsWith("no rule matched"), s.reasoning());
    }

    @Test
    void anEngineWhoseWindowIsNearlyUsedUpLosesToTheOther() {
        Instant now = Instant.parse("2026-12-06T12:00:00Z");
        String task = "generate a bash script that renames files";
        RateLimit full =
                new RateLimit("codex", "primary", 96, 300, Optional.of(now.plusSeconds(3600)), now.minusSeconds(600));
        EngineSuggestion s = EngineSuggestion.of(
                SuggestRules.defaults(),
                task,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                List.of(full),
                now);
        assertEquals(Engine.CLAUDE, s.recommended(), s.reasoning());
        assertTrue(
                s.reasoning().contains("codex has used 96 % of its 5-hour window (resets 2026-12-06T13:00:00Z)"),
                s.reasoning());

        RateLimit reset =
                new RateLimit("codex", "primary", 96, 300, Optional.of(now.minusSeconds(60)), now.minusSeconds(7200));
        RateLimit half = new RateLimit("codex", "secondary", 50, 10080, Optional.empty(), now.minusSeconds(60));
        EngineSuggestion unaffected = EngineSuggestion.of(
                SuggestRules.defaults(),
                task,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                List.of(reset, half),
                now);
        assertEquals(Engine.CODEX, unaffected.recommended(), unaffected.reasoning());
        assertTrue(!unaffected.reasoning().contains("window"), unaffected.reasoning());
    }

    @Test
    void theRateLimitRuleIsConfigurable() {
        SuggestRules rules = read("""
                [delegation.suggest]
                rate_limit_percent = 50
                rate_limit_weight = 0
                """).suggest();
        assertEquals(50, rules.limitPercent());
        assertEquals(0, rules.limitWeight());
        assertThrows(ConfigException.class, () -> read("[delegation.suggest]\nrate_limit_percent = 0\n"));
    }
}
