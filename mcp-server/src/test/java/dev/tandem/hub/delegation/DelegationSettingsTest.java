package dev.tandem.hub.delegation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.config.ConfigException;
import dev.tandem.core.config.Section;
import dev.tandem.hub.runs.Engine;
import java.nio.file.Path;
import java.time.Duration;
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
}
