package dev.tandem.hub.delegation;

import dev.tandem.core.config.Section;
import dev.tandem.hub.runs.Engine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The rules of {@code suggest_engine} ({@code [delegation.suggest]}): words in the task, its type, its context size
 * and its complexity each vote for an engine with a weight. No model is asked.
 *
 * @param codexWords words that vote for Codex
 * @param claudeWords words that vote for Claude Code
 * @param taskTypes task types and the engine each votes for
 * @param largeContextTokens from this context size on, the larger context window (Claude Code) gets a vote
 * @param wordWeight the weight of each matching word
 * @param typeWeight the weight of the task type
 * @param contextWeight the weight of a large context
 * @param complexityWeight the weight of the complexity (high votes Claude Code, low Codex)
 * @param limitPercent from this share of a rate-limit window used (as the usage ledger last read it), the engine is
 *     treated as nearly out: the other one gets {@code limitWeight} votes
 * @param limitWeight the weight of a nearly used-up window
 */
public record SuggestRules(
        List<String> codexWords,
        List<String> claudeWords,
        Map<String, Engine> taskTypes,
        long largeContextTokens,
        int wordWeight,
        int typeWeight,
        int contextWeight,
        int complexityWeight,
        int limitPercent,
        int limitWeight) {

    private static final Set<String> KEYS = Set.of(
            "codex_keywords",
            "claude_keywords",
            "task_types",
            "large_context_tokens",
            "keyword_weight",
            "task_type_weight",
            "context_weight",
            "complexity_weight",
            "rate_limit_percent",
            "rate_limit_weight");

    public SuggestRules {
        codexWords = codexWords.stream().map(w -> w.toLowerCase(Locale.ROOT)).toList();
        claudeWords = claudeWords.stream().map(w -> w.toLowerCase(Locale.ROOT)).toList();
        taskTypes = Map.copyOf(taskTypes);
        Objects.requireNonNull(taskTypes);
    }

    /** Returns the built-in rules. */
    public static SuggestRules defaults() {
        Map<String, Engine> types = new LinkedHashMap<>();
        types.put("generate", Engine.CODEX);
        types.put("script", Engine.CODEX);
        types.put("fix", Engine.CODEX);
        types.put("test", Engine.CODEX);
        types.put("review", Engine.CLAUDE);
        types.put("explain", Engine.CLAUDE);
        types.put("design", Engine.CLAUDE);
        types.put("refactor", Engine.CLAUDE);
        return new SuggestRules(
                List.of(
                        "script",
                        "generate",
                        "shell",
                        "bash",
                        "regex",
                        "sql",
                        "boilerplate",
                        "unit test",
                        "fix",
                        "compile",
                        "cli"),
                List.of(
                        "review",
                        "explain",
                        "design",
                        "architecture",
                        "document",
                        "plan",
                        "security",
                        "why",
                        "refactor",
                        "summarize"),
                types,
                200_000,
                1,
                3,
                2,
                1,
                90,
                5);
    }

    /** Reads {@code [delegation.suggest]}; what it leaves out keeps its default. */
    static SuggestRules from(Section s) {
        s.allowOnly(KEYS);
        SuggestRules d = defaults();
        Map<String, Engine> types = d.taskTypes();
        if (s.table("task_types").isPresent()) {
            Section t = s.table("task_types").get();
            types = new LinkedHashMap<>();
            for (String key : t.keys()) {
                String v = t.nonBlank(key).orElse("");
                try {
                    types.put(key.toLowerCase(Locale.ROOT), Engine.of(v));
                } catch (IllegalArgumentException e) {
                    throw t.error(key, "must be codex or claude");
                }
            }
        }
        return new SuggestRules(
                s.strings("codex_keywords").orElse(d.codexWords()),
                s.strings("claude_keywords").orElse(d.claudeWords()),
                types,
                s.whole("large_context_tokens", 1, 100_000_000, d.largeContextTokens()),
                (int) s.whole("keyword_weight", 0, 100, d.wordWeight()),
                (int) s.whole("task_type_weight", 0, 100, d.typeWeight()),
                (int) s.whole("context_weight", 0, 100, d.contextWeight()),
                (int) s.whole("complexity_weight", 0, 100, d.complexityWeight()),
                (int) s.whole("rate_limit_percent", 1, 100, d.limitPercent()),
                (int) s.whole("rate_limit_weight", 0, 100, d.limitWeight()));
    }
}
