package dev.tandem.hub.runs;

import dev.tandem.hub.HubVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Interactive Codex runs on {@code codex app-server}: JSON-RPC over stdio (checked against the schema Codex CLI
 * 0.169.0 prints with {@code codex app-server generate-json-schema}). {@code initialize}, then {@code thread/start}
 * or {@code thread/resume}, then one {@code turn/start} per turn; {@code turn/interrupt} stops one. Approvals arrive
 * as server requests ({@code item/commandExecution/requestApproval}, {@code item/fileChange/requestApproval}) and
 * are answered {@code accept} or {@code decline}; tokens come from {@code thread/tokenUsage/updated}.
 *
 * <p>The server's messages carry no {@code "jsonrpc"} member and its request ids start at 0: a message is a
 * request when it has a method and an id, a notification when it has a method only, a response otherwise.
 */
public final class CodexAppServer implements EngineRunner {
    /** How long the handshake and each request may take before the run is given up. */
    static final long REQUEST_SECONDS = 120;

    @Override
    public Engine engine() {
        return Engine.CODEX;
    }

    @Override
    public boolean interactive() {
        return true;
    }

    @Override
    public Run start(RunSpec spec, RunListener listener) {
        if (spec.engine() != Engine.CODEX) {
            throw new RunException("codex app-server runs Codex only");
        }
        return new AppServerRun(spec, listener).launch();
    }

    /** Returns the approval policy Codex gets: on-request unless nothing may be asked. */
    static String approvalPolicy(Approval approval) {
        // auto is on-request with the hub approving every request at once
        return approval == Approval.NEVER ? "never" : "on-request";
    }

    private static final class AppServerRun extends ProcessRun {
        private final AtomicLong ids = new AtomicLong();
        private final Map<Long, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();
        private final Map<String, List<RunEvent.FileEdit>> startedChanges = new ConcurrentHashMap<>();
        private volatile String threadId;
        private volatile String turnId;

        AppServerRun(RunSpec spec, RunListener listener) {
            super(spec, listener);
        }

        @Override
        List<String> arguments() {
            return List.of("app-server", "--disable", "unbounded_connection_retries");
        }

        @Override
        void begin() {
            turnStarted(spec.prompt());
            Thread.ofVirtual().name("codex-app-server-start-" + pid()).start(this::handshake);
        }

        private void handshake() {
            try {
                ObjectNode info = Json.newObject();
                info.putObject("clientInfo")
                        .put("name", "tandem")
                        .put("title", "Tandem hub")
                        .put("version", HubVersion.get());
                call("initialize", info);
                notify("initialized");
                ObjectNode params = Json.newObject();
                params.put("cwd", spec.dir().toString());
                params.put("approvalPolicy", approvalPolicy(spec.approval()));
                params.put("sandbox", spec.sandbox().wireName());
                spec.model().ifPresent(m -> params.put("model", m));
                JsonNode result;
                if (spec.resumeSession().isPresent()) {
                    params.put("threadId", spec.resumeSession().get());
                    params.put("excludeTurns", true);
                    result = call("thread/resume", params);
                } else {
                    result = call("thread/start", params);
                }
                threadId = Json.text(result.path("thread"), "id")
                        .orElseThrow(() -> new RunException("codex app-server started no thread"));
                emit(new RunEvent.Session(threadId));
                startTurn(spec.prompt());
            } catch (RunException e) {
                emit(new RunEvent.Notice("error", e.getMessage()));
                turnEnded(RunEvent.TurnStatus.FAILED, Optional.empty(), Optional.of(e.getMessage()), Optional.empty());
            }
        }

        private void startTurn(String text) {
            ObjectNode params = Json.newObject();
            params.put("threadId", threadId);
            params.putArray("input").addObject().put("type", "text").put("text", text);
            spec.outputSchema().ifPresent(s -> params.set("outputSchema", Json.MAPPER.readTree(s)));
            JsonNode result = call("turn/start", params);
            Json.text(result.path("turn"), "id").ifPresent(id -> turnId = id);
        }

        @Override
        void sendTurn(String message) {
            Thread.ofVirtual().start(() -> {
                try {
                    startTurn(message);
                } catch (RunException e) {
                    turnEnded(
                            RunEvent.TurnStatus.FAILED,
                            Optional.empty(),
                            Optional.of(e.getMessage()),
                            Optional.empty());
                }
            });
        }

        @Override
        void interruptTurn() {
            if (threadId == null || turnId == null) {
                return;
            }
            ObjectNode params = Json.newObject().put("threadId", threadId).put("turnId", turnId);
            Thread.ofVirtual().start(() -> {
                try {
                    call("turn/interrupt", params);
                } catch (RunException e) {
                    emit(new RunEvent.Notice("warning", "turn/interrupt failed: " + e.getMessage()));
                }
            });
        }

        // ---- JSON-RPC -------------------------------------------------------------------------------------

        private JsonNode call(String method, ObjectNode params) {
            long id = ids.incrementAndGet();
            CompletableFuture<JsonNode> reply = new CompletableFuture<>();
            calls.put(id, reply);
            ObjectNode msg =
                    Json.newObject().put("jsonrpc", "2.0").put("id", id).put("method", method);
            msg.set("params", params);
            if (!process().writeLine(Json.write(msg))) {
                calls.remove(id);
                throw new RunException("codex app-server is gone (" + method + ")");
            }
            try {
                return reply.get(REQUEST_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new RunException(
                        "codex app-server did not answer " + method + " within " + REQUEST_SECONDS + " s", e);
            } catch (ExecutionException e) {
                throw new RunException(method + ": " + e.getCause().getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RunException(method + " interrupted", e);
            } finally {
                calls.remove(id);
            }
        }

        private void notify(String method) {
            process()
                    .writeLine(Json.write(Json.newObject().put("jsonrpc", "2.0").put("method", method)));
        }

        private void respond(JsonNode id, ObjectNode result) {
            ObjectNode msg = Json.newObject().put("jsonrpc", "2.0");
            msg.set("id", id);
            msg.set("result", result);
            process().writeLine(Json.write(msg));
        }

        private void respondError(JsonNode id, String message) {
            ObjectNode msg = Json.newObject().put("jsonrpc", "2.0");
            msg.set("id", id);
            msg.putObject("error").put("code", -32601).put("message", message);
            process().writeLine(Json.write(msg));
        }

        @Override
        void onLine(String line) {
            Optional<ObjectNode> parsed = Json.object(line);
            if (parsed.isEmpty()) {
                emit(new RunEvent.Notice("info", Json.oneLine(line, 500)));
                return;
            }
            ObjectNode m = parsed.get();
            Optional<String> method = Json.text(m, "method");
            if (method.isPresent() && m.has("id")) {
                serverRequest(method.get(), m.get("id"), m.path("params"));
            } else if (method.isPresent()) {
                notification(method.get(), m.path("params"));
            } else if (m.path("id").isNumber()) {
                CompletableFuture<JsonNode> reply = calls.get(m.get("id").asLong());
                if (reply != null) {
                    if (m.has("error")) {
                        reply.completeExceptionally(new RunException(Json.text(m.path("error"), "message", "error")));
                    } else {
                        reply.complete(m.path("result"));
                    }
                }
            }
        }

        private void notification(String method, JsonNode p) {
            switch (method) {
                case "turn/started" -> Json.text(p.path("turn"), "id").ifPresent(id -> turnId = id);
                case "item/started" -> {
                    JsonNode item = p.path("item");
                    if ("fileChange".equals(Json.text(item, "type", ""))) {
                        startedChanges.put(Json.text(item, "id", ""), changes(item));
                    }
                }
                case "item/completed" -> item(p.path("item"));
                case "thread/tokenUsage/updated" -> usage(p.path("tokenUsage"));
                case "turn/completed" -> turnCompleted(p.path("turn"));
                case "serverRequest/resolved" -> {
                    JsonNode id = p.path("requestId");
                    withdraw(id.isString() ? id.stringValue() : id.asString());
                }
                case "error" ->
                    emit(new RunEvent.Notice(
                            p.path("willRetry").asBoolean(false) ? "warning" : "error",
                            Json.text(p.path("error"), "message", "error")));
                case "warning", "configWarning" ->
                    emit(new RunEvent.Notice(
                            "warning",
                            Json.text(p, "summary")
                                    .or(() -> Json.text(p, "message"))
                                    .orElse(method)));
                default -> {
                    // status, rate limits, diffs, deltas: the completed items and turns say what a job needs
                }
            }
        }

        private void item(JsonNode item) {
            switch (Json.text(item, "type", "")) {
                case "agentMessage" -> emit(new RunEvent.Message(Json.text(item, "text", "")));
                case "commandExecution" ->
                    emit(new RunEvent.Command(
                            Json.text(item, "command", ""),
                            Json.text(item, "status", "completed"),
                            Json.number(item, "exitCode").map(Long::intValue),
                            Json.tail(
                                    Json.text(item, "aggregatedOutput", ""),
                                    spec.limits().outputTailChars())));
                case "fileChange" -> {
                    startedChanges.remove(Json.text(item, "id", ""));
                    if ("completed".equals(Json.text(item, "status", ""))) {
                        emit(new RunEvent.FilesChanged(changes(item)));
                    }
                }
                case "mcpToolCall" ->
                    emit(new RunEvent.ToolCall(
                            Json.text(item, "server", "") + "." + Json.text(item, "tool", ""),
                            Json.text(item, "status", ""),
                            Json.text(item.path("error"), "message", "")));
                default -> {
                    // user messages, reasoning, plans: not part of a job's record
                }
            }
        }

        private static List<RunEvent.FileEdit> changes(JsonNode item) {
            List<RunEvent.FileEdit> out = new ArrayList<>();
            for (JsonNode c : item.path("changes")) {
                out.add(new RunEvent.FileEdit(Json.text(c, "path", ""), Json.text(c.path("kind"), "type", "update")));
            }
            return out;
        }

        private void usage(JsonNode u) {
            JsonNode total = u.path("total");
            JsonNode last = u.path("last");
            emit(new RunEvent.Usage(
                    Json.count(total, "inputTokens"),
                    Json.count(total, "cachedInputTokens"),
                    Json.count(total, "outputTokens"),
                    true,
                    Optional.empty(),
                    Json.number(u, "modelContextWindow"),
                    Json.number(last, "totalTokens")));
        }

        private void turnCompleted(JsonNode turn) {
            RunEvent.TurnStatus status = switch (Json.text(turn, "status", "")) {
                case "completed" -> RunEvent.TurnStatus.COMPLETED;
                case "interrupted" -> RunEvent.TurnStatus.INTERRUPTED;
                default -> RunEvent.TurnStatus.FAILED;
            };
            Optional<String> finalMessage = Optional.empty();
            for (JsonNode item : turn.path("items")) {
                if ("agentMessage".equals(Json.text(item, "type", ""))) {
                    finalMessage = Json.text(item, "text");
                }
            }
            Optional<String> error = Json.text(turn.path("error"), "message");
            if (status == RunEvent.TurnStatus.INTERRUPTED && error.isEmpty()) {
                error = Optional.of("the turn was interrupted");
            }
            Optional<String> structured = spec.outputSchema().isPresent() ? finalMessage : Optional.empty();
            turnEnded(status, finalMessage, error, structured);
        }

        private void serverRequest(String method, JsonNode id, JsonNode p) {
            String requestId = id.isString() ? id.stringValue() : id.asString();
            switch (method) {
                case "item/commandExecution/requestApproval" ->
                    requestApproval(
                            requestId,
                            "command",
                            withReason(Json.text(p, "command", "a command"), p),
                            ok -> respond(id, Json.newObject().put("decision", ok ? "accept" : "decline")));
                case "item/fileChange/requestApproval" ->
                    requestApproval(
                            requestId,
                            "file_change",
                            withReason(describe(startedChanges.getOrDefault(Json.text(p, "itemId", ""), List.of())), p),
                            ok -> respond(id, Json.newObject().put("decision", ok ? "accept" : "decline")));
                case "execCommandApproval" ->
                    requestApproval(
                            requestId,
                            "command",
                            withReason(joined(p.path("command")), p),
                            ok -> respond(id, Json.newObject().put("decision", ok ? "approved" : "denied")));
                case "applyPatchApproval" ->
                    requestApproval(
                            requestId,
                            "file_change",
                            withReason("change " + String.join(", ", fieldNames(p.path("fileChanges"))), p),
                            ok -> respond(id, Json.newObject().put("decision", ok ? "approved" : "denied")));
                case "mcpServer/elicitation/request" -> {
                    emit(new RunEvent.Notice("warning", "declined an MCP elicitation: jobs cannot answer questions"));
                    respond(id, Json.newObject().put("action", "decline"));
                }
                default -> {
                    emit(new RunEvent.Notice("warning", "refused the request " + method + ": jobs do not support it"));
                    respondError(id, method + " is not supported by Tandem jobs");
                }
            }
        }

        private static String withReason(String what, JsonNode p) {
            return Json.text(p, "reason")
                    .filter(r -> !r.isBlank())
                    .map(r -> what + " (" + r + ")")
                    .orElse(what);
        }

        private static String describe(List<RunEvent.FileEdit> edits) {
            if (edits.isEmpty()) {
                return "a file change";
            }
            List<String> parts = new ArrayList<>();
            for (RunEvent.FileEdit e : edits) {
                parts.add(e.kind() + " " + e.path());
            }
            return String.join(", ", parts);
        }

        private static String joined(JsonNode array) {
            List<String> parts = new ArrayList<>();
            for (JsonNode n : array) {
                parts.add(n.isString() ? n.stringValue() : Json.write(n));
            }
            return parts.isEmpty() ? "a command" : String.join(" ", parts);
        }

        private static List<String> fieldNames(JsonNode object) {
            List<String> out = new ArrayList<>();
            object.propertyNames().forEach(out::add);
            return out;
        }
    }
}
