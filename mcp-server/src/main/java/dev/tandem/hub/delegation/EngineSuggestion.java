package dev.tandem.hub.delegation;

import dev.tandem.hub.runs.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@code suggest_engine} answers: the engine the rules favour, why, how sure (0.5 to 1) and the other engine.
 *
 * @param recommended the engine with the higher score (Codex on a tie)
 * @param reasoning the rules that voted, one clause each
 * @param confidence the winner's share of all votes, 0.5 when nothing voted
 * @param alternatives the other engine with its score
 */
public record EngineSuggestion(
        Engine recommended, String reasoning, double confidence, List<Alternative> alternatives) {

    /** An engine not recommended, with its share of the votes. */
    public record Alternative(Engine engine, double score) {}

    /** Applies {@code rules} to a task. */
    public static EngineSuggestion of(
            SuggestRules rules,
            String task,
            Optional<String> taskType,
            Optional<Long> contextSize,
            Optional<String> complexity) {
        String text = task.toLowerCase(Locale.ROOT);
        int codex = 0;
        int claude = 0;
        List<String> why = new ArrayList<>();
        for (String w : rules.codexWords()) {
            if (text.contains(w)) {
                codex += rules.wordWeight();
                why.add("'" + w + "' suits codex");
            }
        }
        for (String w : rules.claudeWords()) {
            if (text.contains(w)) {
                claude += rules.wordWeight();
                why.add("'" + w + "' suits claude");
            }
        }
        Optional<Engine> byType = taskType.map(t -> rules.taskTypes().get(t.toLowerCase(Locale.ROOT)));
        if (byType.isPresent()) {
            if (byType.get() == Engine.CODEX) {
                codex += rules.typeWeight();
            } else {
                claude += rules.typeWeight();
            }
            why.add("task type " + taskType.get() + " goes to " + byType.get().wireName());
        }
        if (contextSize.isPresent() && contextSize.get() >= rules.largeContextTokens()) {
            claude += rules.contextWeight();
            why.add("a context of " + contextSize.get() + " tokens needs the larger window (claude)");
        }
        String level = complexity.map(c -> c.toLowerCase(Locale.ROOT)).orElse("");
        if (level.equals("high")) {
            claude += rules.complexityWeight();
            why.add("high complexity suits claude");
        } else if (level.equals("low")) {
            codex += rules.complexityWeight();
            why.add("low complexity suits codex");
        }
        int total = codex + claude;
        Engine best = claude > codex ? Engine.CLAUDE : Engine.CODEX;
        double confidence = total == 0 ? 0.5 : Math.max(codex, claude) / (double) total;
        double other = total == 0 ? 0.5 : Math.min(codex, claude) / (double) total;
        String reasoning = why.isEmpty()
                ? "no rule matched; codex is the default for a plain task"
                : String.join("; ", why) + " (codex " + codex + ", claude " + claude + ")";
        Engine alt = best == Engine.CODEX ? Engine.CLAUDE : Engine.CODEX;
        return new EngineSuggestion(best, reasoning, round(confidence), List.of(new Alternative(alt, round(other))));
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
