package dev.tandem.hub.runs;

import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Reads and writes the engines' JSON lines, tolerating what does not fit (an engine's format may move). */
final class Json {
    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {}

    /** Returns the line as a JSON object, or empty when it is not one (a log line on stdout). */
    static Optional<ObjectNode> object(String line) {
        try {
            return MAPPER.readTree(line) instanceof ObjectNode o ? Optional.of(o) : Optional.empty();
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    /** Returns the string at {@code field}, if it is one. */
    static Optional<String> text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isString() ? Optional.of(v.stringValue()) : Optional.empty();
    }

    /** Returns the string at {@code field}, or {@code fallback}. */
    static String text(JsonNode node, String field, String fallback) {
        return text(node, field).orElse(fallback);
    }

    /** Returns the whole number at {@code field}, if it is one. */
    static Optional<Long> number(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isNumber() ? Optional.of(v.asLong()) : Optional.empty();
    }

    /** Returns the whole number at {@code field}, or 0. */
    static long count(JsonNode node, String field) {
        return number(node, field).orElse(0L);
    }

    /** Returns the JSON text of {@code node}. */
    static String write(JsonNode node) {
        return MAPPER.writeValueAsString(node);
    }

    static ObjectNode newObject() {
        return MAPPER.createObjectNode();
    }

    /** Returns the end of {@code text}: at most {@code max} characters, marked when cut. */
    static String tail(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        return "…" + text.substring(text.length() - max);
    }

    /** Returns {@code text} on one line, at most {@code max} characters. */
    static String oneLine(String text, int max) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= max ? flat : flat.substring(0, max - 1) + "…";
    }
}
