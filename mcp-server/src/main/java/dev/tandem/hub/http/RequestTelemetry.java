package dev.tandem.hub.http;

import dev.tandem.core.json.Json;
import dev.tandem.core.telemetry.Outcome;
import dev.tandem.core.telemetry.RequestEvent;
import dev.tandem.hub.auth.Credential;
import dev.tandem.hub.telemetry.RequestRecorder;
import dev.tandem.hub.telemetry.TelemetryText;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns an answered JSON-RPC request into a {@link RequestEvent} for the recorder: method, target, duration,
 * outcome and the size (never the content) of its params; for a failed request the error's class and reason
 * ({@code CLASS: first line of the message the client got}, at most {@link #MAX_REASON} characters, in the
 * {@code error_class} column). Called just before the response is written (so a
 * client that saw the response can also see the row), or after the reply when there is none; never throws.
 *
 * <p>What the client chose is stored bounded and escaped ({@link TelemetryText}), so the store does not grow with
 * what an agent sends: a tool, prompt or resource the hub has registered is recorded by its name, any other as
 * {@code unknown:} and its first {@value TelemetryText#MAX_UNKNOWN_CHARS} characters; the client's name and version
 * at most {@value #MAX_LABEL} characters, the method at most {@value #MAX_METHOD}.
 */
final class RequestTelemetry {
    private static final Logger LOG = Logger.getLogger(RequestTelemetry.class.getName());
    private static final JsonMapper TREE = Json.mapper();
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
    /** The most characters of an error message kept as its reason. */
    static final int MAX_REASON = 200;
    /** The most characters of a client's name, version or session id kept. */
    static final int MAX_LABEL = 256;
    /** The most characters of a method kept. */
    static final int MAX_METHOD = 100;

    private final Clock clock;
    private volatile RequestRecorder recorder = RequestRecorder.NONE;
    private volatile boolean enabled;
    private volatile BiPredicate<String, String> registered = (method, target) -> false;

    RequestTelemetry(Clock clock) {
        this.clock = clock;
    }

    void recorder(RequestRecorder recorder) {
        this.recorder = recorder;
        this.enabled = true;
    }

    /** A request's start: when it arrived (wall clock) and a monotonic timestamp for its duration. */
    record Start(long atMillis, long nanos) {}

    /**
     * Sets the rule that says whether a target (tool or prompt name, resource URI) is one the hub has registered
     * for a method: only those are recorded as they are.
     */
    void registered(BiPredicate<String, String> rule) {
        this.registered = rule;
    }

    Start start() {
        return new Start(clock.millis(), System.nanoTime());
    }

    /**
     * Records one answered request made with {@code credential} (which gives the engine) by the client that calls
     * itself {@code clientName} (a label) in session {@code sessionId}.
     */
    void record(
            Credential credential,
            String clientName,
            String clientVersion,
            String sessionId,
            String method,
            JsonNode params,
            Start start,
            Optional<McpSchema.JSONRPCResponse> response) {
        if (!enabled) {
            return;
        }
        RequestRecorder r = recorder;
        try {
            long micros = (System.nanoTime() - start.nanos()) / 1000;
            Outcome outcome = outcome(response);
            r.record(new RequestEvent(
                    Instant.ofEpochMilli(start.atMillis()),
                    credential.engineName(),
                    TelemetryText.bounded(clientName, MAX_LABEL),
                    TelemetryText.bounded(clientVersion, MAX_LABEL),
                    TelemetryText.bounded(sessionId, MAX_LABEL),
                    TelemetryText.bounded(method, MAX_METHOD),
                    target(method, params).map(t -> registered.test(method, t) ? t : TelemetryText.unknown(t)),
                    micros,
                    outcome,
                    errorClass(outcome, response),
                    params == null || params.isNull() ? 0 : TREE.writeValueAsBytes(params).length,
                    meta(params, "claudecode/toolUseId").or(() -> meta(params, "callId")),
                    meta(params, "sessionId").or(() -> meta(params, "threadId")),
                    credential.label(),
                    // an enrolled fleet host's request is that host's; the hub's own credentials are the hub's
                    credential.host().orElse("")));
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "request not recorded", e);
        }
    }

    /**
     * Returns an id the engine put in the request's {@code _meta} (Claude Code: {@code claudecode/toolUseId}; Codex:
     * {@code callId}, {@code sessionId}, {@code threadId}), which ties the call to the engine's own log
     * (docs/usage.md, "Joint ledger"). Only a short id is kept: anything else the client sent is not recorded.
     */
    private static Optional<String> meta(JsonNode params, String key) {
        JsonNode value = params == null ? null : params.path("_meta").get(key);
        if (value == null || !value.isString()) {
            return Optional.empty();
        }
        String id = value.asString();
        return ID.matcher(id).matches() ? Optional.of(id) : Optional.empty();
    }

    private static Optional<String> target(String method, JsonNode params) {
        String key = switch (method) {
            case McpSchema.METHOD_TOOLS_CALL, McpSchema.METHOD_PROMPT_GET -> "name";
            case McpSchema.METHOD_RESOURCES_READ -> "uri";
            default -> "";
        };
        JsonNode value = key.isEmpty() || params == null ? null : params.get(key);
        return value != null && value.isString() ? Optional.of(value.asString()) : Optional.empty();
    }

    private static Outcome outcome(Optional<McpSchema.JSONRPCResponse> response) {
        if (response.isEmpty()) {
            return Outcome.OK;
        }
        if (response.get().error() != null) {
            return Outcome.RPC_ERROR;
        }
        Object result = response.get().result();
        boolean toolError = result instanceof McpSchema.CallToolResult c
                ? Boolean.TRUE.equals(c.isError())
                : result instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("isError"));
        return toolError ? Outcome.TOOL_ERROR : Outcome.OK;
    }

    private static Optional<String> errorClass(Outcome outcome, Optional<McpSchema.JSONRPCResponse> response) {
        return switch (outcome) {
            case OK -> Optional.empty();
            case RPC_ERROR -> {
                var error = response.orElseThrow().error();
                yield Optional.of(withReason(Integer.toString(error.code()), error.message()));
            }
            case TOOL_ERROR ->
                Optional.of(
                        withReason("tool_error", toolText(response.orElseThrow().result())));
        };
    }

    /**
     * Returns {@code errorClass: reason}, the reason being the message's first non-blank line, clipped and escaped;
     * the class alone when there is none. The message is what the client was told, so it holds nothing the agent did
     * not see.
     */
    static String withReason(String errorClass, String message) {
        String line = message == null
                ? ""
                : message.lines()
                        .map(String::strip)
                        .filter(l -> !l.isEmpty())
                        .findFirst()
                        .orElse("");
        line = TelemetryText.bounded(line, MAX_REASON);
        return line.isEmpty() ? errorClass : errorClass + ": " + line;
    }

    /** The text of a tool error result's first text content. */
    private static String toolText(Object result) {
        if (result instanceof McpSchema.CallToolResult c && c.content() != null) {
            return c.content().stream()
                    .filter(McpSchema.TextContent.class::isInstance)
                    .map(t -> ((McpSchema.TextContent) t).text())
                    .findFirst()
                    .orElse("");
        }
        if (result instanceof Map<?, ?> m && m.get("content") instanceof java.util.List<?> items) {
            for (Object item : items) {
                if (item instanceof Map<?, ?> part
                        && "text".equals(part.get("type"))
                        && part.get("text") instanceof String t) {
                    return t;
                }
            }
        }
        return "";
    }
}
