package dev.tandem.hub.mcp;

import dev.tandem.hub.delegation.DelegationException;
import dev.tandem.hub.delegation.DelegationService;
import dev.tandem.hub.delegation.Review;
import dev.tandem.hub.runs.Engine;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code codex_review} and {@code claude_review}: a read-only review whose verdict comes back as structured output,
 * asked for through each CLI's own option ({@code codex exec --output-schema}, {@code claude --json-schema}) and
 * checked here against {@link Review#SCHEMA} (Codex does not enforce it); one failed answer is asked for again.
 */
final class DelegateReviewTool {
    private static final Set<String> ARGUMENTS = Set.of("code", "diff", "paths", "focus", "language", "dir", "model");
    private static final TypeRef<Map<String, Object>> MAP = new TypeRef<>() {};

    private final DelegationService delegation;
    private final Engine engine;

    DelegateReviewTool(DelegationService delegation, Engine engine) {
        this.delegation = delegation;
        this.engine = engine;
    }

    static String name(Engine engine) {
        return engine.wireName() + "_review";
    }

    McpServerFeatures.SyncToolSpecification specification() {
        String who = engine == Engine.CODEX ? "Codex CLI" : "Claude Code";
        return ToolSpecs.declare(
                name(engine),
                "Review with " + who,
                "Asks " + who + " for a read-only review of code, a diff or files (paths, globs relative to dir) "
                        + "and returns its verdict as structured JSON: issues [{severity, file, line, message, "
                        + "suggestion}], summary and score 0-10. The reviewer's sandbox is always read-only.",
                inputSchema(),
                DelegationViews.OUTPUT_SCHEMA,
                // a reviewer changes no file, but each call runs an agent anew
                new ToolSpecs.Hints(true, false, false, false),
                this::call);
    }

    private static String inputSchema() {
        return "{\"type\":\"object\",\"properties\":{"
                + "\"code\":{\"type\":\"string\",\"description\":\"Source text to review\"},"
                + "\"diff\":{\"type\":\"string\",\"description\":\"A unified diff to review\"},"
                + "\"paths\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"description\":\"Files to "
                + "review: globs relative to dir\"},"
                + "\"focus\":{\"type\":\"string\",\"enum\":[\"security\",\"performance\",\"quality\",\"all\"]},"
                + "\"language\":{\"type\":\"string\"},"
                + "\"dir\":{\"type\":\"string\",\"description\":\"Folder, inside the hub's roots (default: the "
                + "first root)\"},"
                + "\"model\":{\"type\":\"string\"}},"
                + "\"required\":[\"focus\"],\"additionalProperties\":false}";
    }

    private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        ProgressLines[] lines = new ProgressLines[1];
        try {
            ToolArgs args = ToolArgs.of(request).only(ARGUMENTS);
            Caller caller = Caller.of(exchange);
            Review review = new Review(
                    args.nonBlank("code"),
                    args.nonBlank("diff"),
                    args.stringList("paths"),
                    args.requiredNonBlank("focus"),
                    args.nonBlank("language"));
            DelegationService.Outcome o = delegation.review(
                    engine,
                    review,
                    args.nonBlank("dir"),
                    args.nonBlank("model"),
                    caller.engine(),
                    caller.remoteAddress(),
                    DelegationViews.progress(exchange, request.progressToken(), lines),
                    DelegateReviewTool::problem);
            Map<String, Object> out = DelegationViews.outcome(delegation, o, caller.engine());
            if (o.verdict().isEmpty()) {
                return ToolResults.error(name(engine) + ": the review did not finish (job "
                        + o.job().id() + " "
                        + o.job().status().wireName()
                        + o.job().error().map(e -> ": " + delegation.scrub(e)).orElse("")
                        + ")");
            }
            out.put("verdict", parse(o.verdict().get()).orElseThrow());
            return ToolResults.structured(out);
        } catch (DelegationException | ToolArgs.BadArgument e) {
            return ToolResults.error(e.getMessage());
        } finally {
            if (lines[0] != null) {
                lines[0].finish();
            }
        }
    }

    /** Returns what is wrong with {@code answer} against {@code schema}, or empty when it conforms. */
    static Optional<String> problem(String schema, String answer) {
        Optional<Map<String, Object>> value = parse(answer);
        if (value.isEmpty()) {
            return Optional.of("the answer is not a JSON object");
        }
        JsonSchemaValidator validator = McpJsonDefaults.getSchemaValidator();
        JsonSchemaValidator.ValidationResponse r =
                validator.validate(parse(schema).orElseThrow(), value.get());
        return r.valid() ? Optional.empty() : Optional.of(ToolResults.oneLine(r.errorMessage()));
    }

    private static Optional<Map<String, Object>> parse(String json) {
        try {
            return Optional.ofNullable(McpJsonDefaults.getMapper().readValue(json.strip(), MAP));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
