package dev.tandem.hub.runs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Claude Code runs on {@code claude -p --input-format stream-json --output-format stream-json --verbose} (Claude Code
 * 2.1.329): each turn is a {@code user} line on stdin, each answer ends with a {@code result} line carrying that
 * turn's {@code usage} and cost. With {@code --permission-prompt-tool stdio} every permission Claude Code would ask
 * a person for arrives as a {@code control_request} ({@code can_use_tool}) and waits for a {@code control_response}
 * ({@code allow} or {@code deny}). A one-shot run closes stdin after its first result and reads to the end (a
 * background sub-agent can add a second result).
 */
public final class ClaudeStream implements EngineRunner {
    /** The tools that write files, denied outright under {@link Sandbox#READ_ONLY}. */
    static final List<String> EDIT_TOOLS = List.of("Write", "Edit", "MultiEdit", "NotebookEdit");

    private final boolean interactive;

    ClaudeStream(boolean interactive) {
        this.interactive = interactive;
    }

    @Override
    public Engine engine() {
        return Engine.CLAUDE;
    }

    @Override
    public boolean interactive() {
        return interactive;
    }

    @Override
    public Run start(RunSpec spec, RunListener listener) {
        if (spec.engine() != Engine.CLAUDE) {
            throw new RunException("claude stream-json runs Claude Code only");
        }
        return new StreamRun(spec, listener).launch();
    }

    /** The arguments of {@code claude}: every value is fixed or checked, the turns are read from stdin. */
    static List<String> arguments(RunSpec spec) {
        List<String> args = new ArrayList<>(List.of(
                "-p",
                "--input-format=stream-json",
                "--output-format=stream-json",
                "--verbose",
                "--permission-prompt-tool=stdio"));
        switch (spec.sandbox()) {
            // read-only: nothing edits files, and every other tool that needs permission asks
            case READ_ONLY -> args.add("--disallowedTools=" + String.join(",", EDIT_TOOLS));
            // workspace-write: edits inside the folder are accepted, the shell still asks
            case WORKSPACE_WRITE -> args.add("--permission-mode=acceptEdits");
            // full access: edits and the shell run without asking (bypassPermissions is refused as root)
            case DANGER_FULL_ACCESS -> {
                args.add("--permission-mode=acceptEdits");
                args.add("--allowedTools=Bash");
            }
        }
        spec.model().ifPresent(m -> args.add("--model=" + m));
        spec.resumeSession().ifPresent(s -> args.add("--resume=" + s));
        spec.outputSchema().ifPresent(s -> args.add("--json-schema=" + s));
        return args;
    }

    private static final class StreamRun extends ProcessRun {
        private static final Set<String> FILE_TOOLS = Set.of("Write", "Edit", "MultiEdit", "NotebookEdit");

        private final AtomicLong controlIds = new AtomicLong();
        private final Map<String, JsonNode> toolUses = new ConcurrentHashMap<>();
        private volatile String sessionId;
        private volatile Optional<Long> contextUsed = Optional.empty();
        private double lastTotalCost;

        StreamRun(RunSpec spec, RunListener listener) {
            super(spec, listener);
        }

        @Override
        List<String> arguments() {
            return ClaudeStream.arguments(spec);
        }

        @Override
        void begin() {
            ObjectNode init = Json.newObject().put("type", "control_request").put("request_id", "tandem_init");
            init.putObject("request").put("subtype", "initialize");
            process().writeLine(Json.write(init));
            turnStarted(spec.prompt());
            writeTurn(spec.prompt());
        }

        private void writeTurn(String text) {
            ObjectNode msg = Json.newObject().put("type", "user");
            msg.putObject("message").put("role", "user").put("content", text);
            msg.putNull("parent_tool_use_id");
            msg.put("session_id", sessionId == null ? "" : sessionId);
            if (!process().writeLine(Json.write(msg))) {
                turnEnded(
                        RunEvent.TurnStatus.FAILED,
                        Optional.empty(),
                        Optional.of("claude's input is closed"),
                        Optional.empty());
            }
        }

        @Override
        void sendTurn(String message) {
            writeTurn(message);
        }

        @Override
        void interruptTurn() {
            ObjectNode req = Json.newObject()
                    .put("type", "control_request")
                    .put("request_id", "tandem_interrupt_" + controlIds.incrementAndGet());
            req.putObject("request").put("subtype", "interrupt");
            process().writeLine(Json.write(req));
        }

        @Override
        void onLine(String line) {
            Optional<ObjectNode> parsed = Json.object(line);
            if (parsed.isEmpty()) {
                emit(new RunEvent.Notice("info", Json.oneLine(line, 500)));
                return;
            }
            JsonNode m = parsed.get();
            switch (Json.text(m, "type", "")) {
                case "system" -> system(m);
                case "assistant" -> assistant(m.path("message"));
                case "user" -> toolResults(m.path("message"), m.path("tool_use_result"));
                case "result" -> result(m);
                case "control_request" -> controlRequest(m);
                default -> {
                    // control_response (acknowledgements), stream events: nothing for the record
                }
            }
        }

        private void system(JsonNode m) {
            switch (Json.text(m, "subtype", "")) {
                case "init" ->
                    Json.text(m, "session_id").ifPresent(id -> {
                        if (!id.equals(sessionId)) {
                            sessionId = id;
                            emit(new RunEvent.Session(id));
                        }
                    });
                case "permission_denied" ->
                    emit(new RunEvent.Notice(
                            "warning",
                            "permission denied for " + Json.text(m, "tool_name", "a tool") + ": "
                                    + Json.text(m, "message", "")));
                case "api_retry" -> emit(new RunEvent.Notice("warning", "the model API failed; Claude Code retries"));
                default -> {
                    // thinking tokens, informational lines, task progress
                }
            }
        }

        private void assistant(JsonNode message) {
            JsonNode usage = message.path("usage");
            if (usage.isObject()) {
                // the input side of a streamed line is final (its output count is not)
                contextUsed = Optional.of(Json.count(usage, "input_tokens")
                        + Json.count(usage, "cache_read_input_tokens")
                        + Json.count(usage, "cache_creation_input_tokens"));
            }
            for (JsonNode block : message.path("content")) {
                switch (Json.text(block, "type", "")) {
                    case "text" -> emit(new RunEvent.Message(Json.text(block, "text", "")));
                    case "tool_use" -> toolUses.put(Json.text(block, "id", ""), block);
                    default -> {
                        // thinking
                    }
                }
            }
        }

        private void toolResults(JsonNode message, JsonNode toolUseResult) {
            for (JsonNode block : message.path("content")) {
                if (!"tool_result".equals(Json.text(block, "type", ""))) {
                    continue;
                }
                JsonNode use = toolUses.remove(Json.text(block, "tool_use_id", ""));
                if (use == null) {
                    continue;
                }
                boolean failed = block.path("is_error").asBoolean(false);
                String name = Json.text(use, "name", "tool");
                JsonNode input = use.path("input");
                if (FILE_TOOLS.contains(name)) {
                    if (!failed) {
                        String path = Json.text(input, "file_path")
                                .or(() -> Json.text(input, "notebook_path"))
                                .orElse("");
                        String kind = "create".equals(Json.text(toolUseResult, "type", "")) ? "add" : "update";
                        emit(new RunEvent.FilesChanged(List.of(new RunEvent.FileEdit(path, kind))));
                    } else {
                        emit(new RunEvent.ToolCall(name, "failed", resultText(block)));
                    }
                } else if ("Bash".equals(name)) {
                    emit(new RunEvent.Command(
                            Json.text(input, "command", ""),
                            failed ? "failed" : "completed",
                            Optional.empty(),
                            Json.tail(resultText(block), spec.limits().outputTailChars())));
                } else {
                    emit(new RunEvent.ToolCall(
                            name, failed ? "failed" : "completed", Json.oneLine(resultText(block), 300)));
                }
            }
        }

        private static String resultText(JsonNode block) {
            JsonNode content = block.path("content");
            if (content.isString()) {
                return content.stringValue();
            }
            StringBuilder sb = new StringBuilder();
            for (JsonNode c : content) {
                Json.text(c, "text").ifPresent(sb::append);
            }
            return sb.toString();
        }

        private void result(JsonNode m) {
            JsonNode u = m.path("usage");
            long cacheRead = Json.count(u, "cache_read_input_tokens");
            long input = Json.count(u, "input_tokens") + Json.count(u, "cache_creation_input_tokens") + cacheRead;
            emit(new RunEvent.Usage(
                    input,
                    cacheRead,
                    Json.count(u, "output_tokens"),
                    false,
                    cost(m),
                    contextWindow(m.path("modelUsage")),
                    contextUsed));
            boolean failed = m.path("is_error").asBoolean(false);
            Optional<String> result = Json.text(m, "result");
            Optional<String> error = Optional.empty();
            if (failed) {
                List<String> errors = new ArrayList<>();
                m.path("errors").forEach(e -> errors.add(e.isString() ? e.stringValue() : Json.write(e)));
                error = Optional.of(
                        errors.isEmpty() ? result.orElse(Json.text(m, "subtype", "error")) : String.join("; ", errors));
            }
            Optional<String> structured = m.path("structured_output").isMissingNode()
                    ? Optional.empty()
                    : Optional.of(Json.write(m.get("structured_output")));
            if (turnActive()) {
                turnEnded(
                        failed ? RunEvent.TurnStatus.FAILED : RunEvent.TurnStatus.COMPLETED,
                        failed ? Optional.empty() : result,
                        error,
                        structured);
            } else {
                // a second result of one prompt (a background sub-agent finished): its answer is news too
                result.filter(r -> !failed).ifPresent(r -> emit(new RunEvent.Message(r)));
            }
        }

        /** Returns this turn's cost: {@code model_usage_since_last_result}, else the growth of the running total. */
        private Optional<Double> cost(JsonNode m) {
            JsonNode since = m.path("model_usage_since_last_result");
            double total = m.path("total_cost_usd").asDouble(0);
            Optional<Double> out;
            if (since.isObject() && since.size() > 0) {
                double sum = 0;
                for (JsonNode model : since) {
                    sum += model.path("costUSD").asDouble(0);
                }
                out = Optional.of(sum);
            } else if (m.path("total_cost_usd").isNumber()) {
                out = Optional.of(Math.max(0, total - lastTotalCost));
            } else {
                out = Optional.empty();
            }
            lastTotalCost = total;
            return out;
        }

        private static Optional<Long> contextWindow(JsonNode modelUsage) {
            long max = 0;
            for (JsonNode model : modelUsage) {
                max = Math.max(max, Json.count(model, "contextWindow"));
            }
            return max > 0 ? Optional.of(max) : Optional.empty();
        }

        private void controlRequest(JsonNode m) {
            String requestId = Json.text(m, "request_id", "");
            JsonNode req = m.path("request");
            if (!"can_use_tool".equals(Json.text(req, "subtype", ""))) {
                ObjectNode reply = Json.newObject().put("type", "control_response");
                reply.putObject("response")
                        .put("subtype", "error")
                        .put("request_id", requestId)
                        .put("error", Json.text(req, "subtype", "this request") + " is not supported by Tandem jobs");
                process().writeLine(Json.write(reply));
                return;
            }
            String tool = Json.text(req, "tool_name", "a tool");
            JsonNode input = req.path("input");
            String kind = "Bash".equals(tool) ? "command" : FILE_TOOLS.contains(tool) ? "file_change" : "tool";
            String what = Json.text(input, "command")
                    .or(() -> Json.text(input, "file_path"))
                    .or(() -> Json.text(input, "url"))
                    .orElseGet(() -> Json.write(input));
            requestApproval(requestId, kind, tool + ": " + Json.oneLine(what, 400), ok -> allow(requestId, input, ok));
        }

        private void allow(String requestId, JsonNode input, boolean ok) {
            ObjectNode reply = Json.newObject().put("type", "control_response");
            ObjectNode response =
                    reply.putObject("response").put("subtype", "success").put("request_id", requestId);
            ObjectNode decision = response.putObject("response");
            if (ok) {
                decision.put("behavior", "allow");
                decision.set("updatedInput", input);
            } else {
                decision.put("behavior", "deny");
                decision.put("message", "The person running this job denied it in Tandem.");
            }
            process().writeLine(Json.write(reply));
        }
    }
}
