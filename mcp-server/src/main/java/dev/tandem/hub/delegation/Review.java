package dev.tandem.hub.delegation;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A review request and the verdict schema both engines answer in: {@code {issues: [{severity, file, line, message,
 * suggestion}], summary, score}}. The schema is strict-mode ready (every property required, no others), as Codex
 * forwards it verbatim with {@code strict: true}.
 *
 * @param code source text to review
 * @param diff a unified diff to review
 * @param paths files (globs relative to {@code dir}) whose text is attached
 * @param focus security, performance, quality or all
 * @param language the language, when the text does not say
 */
public record Review(
        Optional<String> code, Optional<String> diff, List<String> paths, String focus, Optional<String> language) {

    /** The focuses a review takes. */
    public static final List<String> FOCUSES = List.of("security", "performance", "quality", "all");

    /** The verdict's JSON schema, as given to {@code codex exec --output-schema} and {@code claude --json-schema}. */
    public static final String SCHEMA = """
            {"type":"object","additionalProperties":false,"required":["issues","summary","score"],"properties":{\
            "issues":{"type":"array","items":{"type":"object","additionalProperties":false,\
            "required":["severity","file","line","message","suggestion"],"properties":{\
            "severity":{"type":"string","enum":["critical","high","medium","low","info"]},\
            "file":{"type":["string","null"]},\
            "line":{"type":["integer","null"],"minimum":1},\
            "message":{"type":"string"},\
            "suggestion":{"type":["string","null"]}}}},\
            "summary":{"type":"string"},\
            "score":{"type":"number","minimum":0,"maximum":10}}}""";

    public Review {
        paths = List.copyOf(paths);
        focus = focus.toLowerCase(Locale.ROOT);
        if (!FOCUSES.contains(focus)) {
            throw new DelegationException(
                    DelegationException.Reason.INVALID,
                    "focus '" + focus + "' is not one of " + String.join(", ", FOCUSES));
        }
        int given = (code.isPresent() ? 1 : 0) + (diff.isPresent() ? 1 : 0) + (paths.isEmpty() ? 0 : 1);
        if (given != 1) {
            throw new DelegationException(
                    DelegationException.Reason.INVALID, "give exactly one of code, diff or paths to review");
        }
    }

    /** Returns the prompt: what to look for, the text under review, and how to answer. */
    String prompt() {
        StringBuilder p = new StringBuilder("Review the ");
        p.append(diff.isPresent() ? "diff" : paths.isEmpty() ? "code" : "attached files");
        language.ifPresent(l -> p.append(" (").append(l).append(')'));
        p.append(" for ")
                .append(focus.equals("all") ? "security, performance and quality" : focus)
                .append(" issues. Do not change any file. Answer only with JSON that follows the given schema: ")
                .append("issues (severity critical|high|medium|low|info, file or null, line or null, message, ")
                .append("suggestion or null), a one-paragraph summary, and a score from 0 (unusable) to 10 (no ")
                .append("issues).\n");
        code.ifPresent(c -> p.append("\n```\n").append(c).append("\n```\n"));
        diff.ifPresent(d -> p.append("\n```diff\n").append(d).append("\n```\n"));
        return p.toString();
    }

    /** The prompt of the second attempt, after an answer that failed the schema. */
    String retryPrompt(String problem) {
        return prompt() + "\nYour previous answer did not follow the schema (" + problem
                + "). Answer again with JSON that follows it exactly.\n";
    }
}
