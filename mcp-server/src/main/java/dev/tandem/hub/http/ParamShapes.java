package dev.tandem.hub.http;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Checks the JSON types of a request's {@code params} against the MCP schema before the SDK converts them: the SDK
 * coerces some wrong types silently ({@code "uri": 7}) and throws on others, which turned into HTTP 500.
 *
 * <p>Spec: https://modelcontextprotocol.io/specification/2025-11-25/schema
 */
final class ParamShapes {
    private enum Type {
        STRING,
        OBJECT
    }

    private record Member(String name, Type type, boolean required) {}

    private static final Set<String> LOGGING_LEVELS =
            Set.of("debug", "info", "notice", "warning", "error", "critical", "alert", "emergency");

    private static final List<Member> PAGED = List.of(new Member("cursor", Type.STRING, false));
    private static final List<Member> URI = List.of(new Member("uri", Type.STRING, true));

    private static final Map<String, List<Member>> MEMBERS = Map.ofEntries(
            Map.entry(
                    McpSchema.METHOD_INITIALIZE,
                    List.of(
                            new Member("protocolVersion", Type.STRING, true),
                            new Member("capabilities", Type.OBJECT, true),
                            new Member("clientInfo", Type.OBJECT, true))),
            Map.entry(
                    McpSchema.METHOD_TOOLS_CALL,
                    List.of(new Member("name", Type.STRING, true), new Member("arguments", Type.OBJECT, false))),
            Map.entry(
                    McpSchema.METHOD_PROMPT_GET,
                    List.of(new Member("name", Type.STRING, true), new Member("arguments", Type.OBJECT, false))),
            Map.entry(
                    McpSchema.METHOD_COMPLETION_COMPLETE,
                    List.of(
                            new Member("ref", Type.OBJECT, true),
                            new Member("argument", Type.OBJECT, true),
                            new Member("context", Type.OBJECT, false))),
            Map.entry(McpSchema.METHOD_LOGGING_SET_LEVEL, List.of(new Member("level", Type.STRING, true))),
            Map.entry(McpSchema.METHOD_RESOURCES_READ, URI),
            Map.entry(McpSchema.METHOD_RESOURCES_SUBSCRIBE, URI),
            Map.entry(McpSchema.METHOD_RESOURCES_UNSUBSCRIBE, URI),
            Map.entry(McpSchema.METHOD_TOOLS_LIST, PAGED),
            Map.entry(McpSchema.METHOD_PROMPT_LIST, PAGED),
            Map.entry(McpSchema.METHOD_RESOURCES_LIST, PAGED),
            Map.entry(McpSchema.METHOD_RESOURCES_TEMPLATES_LIST, PAGED));

    private ParamShapes() {}

    /**
     * Returns whether {@code params} may stand in a JSON-RPC request at all: absent, null, an object or an array.
     * Anything else makes the request invalid (-32600).
     */
    static boolean structured(JsonNode params) {
        return params == null || params.isNull() || params.isObject() || params.isArray();
    }

    /** Returns why {@code params} do not fit {@code method} (an Invalid params message), or empty when they do. */
    static Optional<String> problem(String method, JsonNode params) {
        if (params == null || params.isNull()) {
            return missing(method);
        }
        if (!params.isObject()) {
            return Optional.of("Invalid params: " + method + " takes an object, not " + describe(params));
        }
        JsonNode meta = params.get("_meta");
        if (meta != null && !meta.isNull() && !meta.isObject()) {
            return Optional.of("Invalid params: '_meta' of " + method + " must be an object, got " + describe(meta));
        }
        for (Member m : MEMBERS.getOrDefault(method, List.of())) {
            Optional<String> p = check(method, m, params.get(m.name()));
            if (p.isPresent()) {
                return p;
            }
        }
        return refine(method, params);
    }

    private static Optional<String> missing(String method) {
        return MEMBERS.getOrDefault(method, List.of()).stream()
                .filter(Member::required)
                .findFirst()
                .map(m -> "Invalid params: " + method + " needs '" + m.name() + "'");
    }

    private static Optional<String> check(String method, Member m, JsonNode value) {
        if (value == null || value.isNull()) {
            return m.required()
                    ? Optional.of("Invalid params: " + method + " needs '" + m.name() + "'")
                    : Optional.empty();
        }
        boolean fits = m.type() == Type.STRING ? value.isString() : value.isObject();
        if (fits) {
            return Optional.empty();
        }
        String wanted = m.type() == Type.STRING ? "a string" : "an object";
        return Optional.of(
                "Invalid params: '" + m.name() + "' of " + method + " must be " + wanted + ", got " + describe(value));
    }

    /** The checks one level deeper that the SDK would otherwise answer with a Java exception text. */
    private static Optional<String> refine(String method, JsonNode params) {
        if (method.equals(McpSchema.METHOD_LOGGING_SET_LEVEL)
                && !LOGGING_LEVELS.contains(params.get("level").asString())) {
            return Optional.of("Invalid params: 'level' of logging/setLevel must be one of "
                    + String.join(", ", LOGGING_LEVELS.stream().sorted().toList()));
        }
        if (method.equals(McpSchema.METHOD_PROMPT_GET) && params.has("arguments")) {
            for (var e : params.get("arguments").properties()) {
                if (!e.getValue().isString()) {
                    return Optional.of("Invalid params: argument '" + e.getKey() + "' of prompts/get must be a "
                            + "string, got " + describe(e.getValue()));
                }
            }
        }
        if (method.equals(McpSchema.METHOD_COMPLETION_COMPLETE)) {
            JsonNode argument = params.get("argument");
            if (!argument.path("name").isString() || !argument.path("value").isString()) {
                return Optional.of(
                        "Invalid params: 'argument' of completion/complete needs string 'name' and " + "'value'");
            }
            if (!params.get("ref").path("type").isString()) {
                return Optional.of("Invalid params: 'ref' of completion/complete needs a string 'type'");
            }
        }
        return Optional.empty();
    }

    private static String describe(JsonNode value) {
        if (value.isArray()) {
            return "an array";
        }
        if (value.isObject()) {
            return "an object";
        }
        if (value.isString()) {
            return "a string";
        }
        if (value.isNumber()) {
            return "a number";
        }
        if (value.isBoolean()) {
            return "a boolean";
        }
        return "null";
    }
}
