package dev.tandem.hub.mcp;

import dev.tandem.core.usage.RateLimit;
import dev.tandem.hub.delegation.DelegationSettings;
import dev.tandem.hub.delegation.EngineSuggestion;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** {@code suggest_engine}: which engine suits a task, from the rules of {@code [delegation.suggest]}; no model call. */
final class SuggestEngineTool {
    static final String NAME = "suggest_engine";
    private static final Set<String> ARGUMENTS = Set.of("task", "task_type", "context_size", "complexity");
    private static final String INPUT_SCHEMA = "{\"type\":\"object\",\"properties\":{"
            + "\"task\":{\"type\":\"string\"},"
            + "\"task_type\":{\"type\":\"string\",\"description\":\"generate, script, fix, test, review, explain, "
            + "design, refactor, or a type [delegation.suggest] task_types names\"},"
            + "\"context_size\":{\"type\":\"integer\",\"minimum\":0,\"description\":\"Tokens of context the task "
            + "needs\"},"
            + "\"complexity\":{\"type\":\"string\",\"enum\":[\"low\",\"medium\",\"high\"]}},"
            + "\"required\":[\"task\"],\"additionalProperties\":false}";
    private static final String OUTPUT_SCHEMA = "{\"type\":\"object\",\"properties\":{"
            + "\"recommended\":{\"type\":\"string\"},\"reasoning\":{\"type\":\"string\"},"
            + "\"confidence\":{\"type\":\"number\"},\"alternatives\":{\"type\":\"array\"}},"
            + "\"required\":[\"recommended\",\"reasoning\",\"confidence\",\"alternatives\"]}";

    private final DelegationSettings settings;
    private final Supplier<List<RateLimit>> limits;
    private final Clock clock;

    /**
     * @param limits the rate-limit windows as the usage ledger last read them ({@code tandem usage}, {@code
     *     usage_report})
     */
    SuggestEngineTool(DelegationSettings settings, Supplier<List<RateLimit>> limits, Clock clock) {
        this.settings = settings;
        this.limits = limits;
        this.clock = clock;
    }

    McpServerFeatures.SyncToolSpecification specification() {
        return ToolSpecs.declare(
                NAME,
                "Suggest an engine",
                "Recommends codex or claude for a task from configured rules (words in the task, its type, "
                        + "context size and complexity, and a rate-limit window nearly used up), with the "
                        + "reasoning, a confidence and the alternative. "
                        + "No model is asked.",
                INPUT_SCHEMA,
                OUTPUT_SCHEMA,
                new ToolSpecs.Hints(true, false, true, false),
                this::call);
    }

    private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        try {
            ToolArgs args = ToolArgs.of(request).only(ARGUMENTS);
            EngineSuggestion s = EngineSuggestion.of(
                    settings.suggest(),
                    args.requiredNonBlank("task"),
                    args.nonBlank("task_type"),
                    args.optionalInt("context_size", 0, Integer.MAX_VALUE).map(Integer::longValue),
                    args.nonBlank("complexity"),
                    limits.get(),
                    clock.instant());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("recommended", s.recommended().wireName());
            out.put("reasoning", s.reasoning());
            out.put("confidence", s.confidence());
            out.put(
                    "alternatives",
                    s.alternatives().stream()
                            .map(a ->
                                    Map.<String, Object>of("engine", a.engine().wireName(), "score", a.score()))
                            .toList());
            return ToolResults.structured(out);
        } catch (ToolArgs.BadArgument e) {
            return ToolResults.error(e.getMessage());
        }
    }
}
