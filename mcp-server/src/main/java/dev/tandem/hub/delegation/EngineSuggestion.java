package dev.tandem.hub.delegation;

import dev.tandem.core.usage.RateLimit;
import dev.tandem.hub.runs.Engine;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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

    /** Applies {@code rules} to a task, with no rate-limit windows known. */
    public static EngineSuggestion of(
            SuggestRules rules,
            String task,
            Optional<String> taskType,
            Optional<Long> contextSize,
            Optional<String> complexity) {
        return of(rules, task, taskType, contextSize, complexity, List.of(), Instant.EPOCH);
    }

    /**
     * Applies {@code rules} to a task; an engine with a rate-limit window in {@code limits} that has not reset by
     * {@code now} and is at least {@code rules.limitPercent()} used gives the other engine {@code limitWeight} votes.
     */
    public static EngineSuggestion of(
            SuggestRules rules,
            String task,
            Optional<String> taskType,
            Optional<Long> contextSize,
            Optional<String> complexity,
            List<RateLimit> limits,
            Instant now) {
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
        for (Engine e : Engine.values()) {
            Optional<RateLimit> full = limits.stream()
                    .filter(l -> l.engine().equals(e.wireName()))
                    .filter(l -> current(l, now))
                    .filter(l -> l.usedPercent() >= rules.limitPercent())
                    .max(Comparator.comparingDouble(RateLimit::usedPercent));
            if (full.isPresent() && rules.limitWeight() > 0) {
                RateLimit l = full.get();
                if (e == Engine.CODEX) {
                    claude += rules.limitWeight();
                } else {
                    codex += rules.limitWeight();
                }
                why.add(e.wireName() + " has used " + Math.round(l.usedPercent()) + " % of its "
                        + window(l.windowMinutes()) + " window"
                        + l.resetsAt().map(r -> " (resets " + r + ")").orElse(""));
            }
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

    /** Whether the window reported in {@code l} still runs at {@code now}. */
    private static boolean current(RateLimit l, Instant now) {
        Instant end = l.resetsAt().orElse(l.observedAt().plus(Duration.ofMinutes(l.windowMinutes())));
        return end.isAfter(now);
    }

    private static String window(int minutes) {
        if (minutes % (24 * 60) == 0) {
            return (minutes / (24 * 60)) + "-day";
        }
        return minutes % 60 == 0 ? (minutes / 60) + "-hour" : minutes + "-minute";
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
