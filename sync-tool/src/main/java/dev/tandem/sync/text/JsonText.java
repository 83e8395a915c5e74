package dev.tandem.sync.text;

import dev.tandem.sync.engine.InputException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads JSON files with positions in errors and writes them the way Node's {@code JSON.stringify(v, null, 2)}
 * does, which is how Claude Code writes its own files, so a rewrite changes only the keys Tandem manages.
 */
public final class JsonText {
    // the streaming parser and a node factory only: building a databind mapper costs a cold CLI ~150 ms
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonText() {}

    /** Returns a new empty object node. */
    public static ObjectNode object() {
        return NODES.objectNode();
    }

    /** Parses an object; an empty or blank file counts as {@code {}}. */
    public static ObjectNode parseObject(Path file, String text) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        if (body.isBlank()) {
            return NODES.objectNode();
        }
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), body)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw InputException.at(file, 1, 1, "expected a JSON object at the top level");
            }
            ObjectNode object = (ObjectNode) read(p, first);
            if (p.nextToken() != null) {
                var loc = p.currentTokenLocation();
                throw InputException.at(
                        file, loc.getLineNr(), loc.getColumnNr(), "unexpected content after the object");
            }
            return object;
        } catch (JacksonException e) {
            var loc = e.getLocation();
            int line = loc == null ? 1 : Math.max(1, loc.getLineNr());
            int col = loc == null ? 1 : Math.max(1, loc.getColumnNr());
            throw InputException.at(file, line, col, e.getOriginalMessage());
        }
    }

    /**
     * Returns the 1-based line and column where the value at a key path starts, if the object has it (for errors
     * that name a key of a file already parsed).
     */
    public static Optional<int[]> position(String text, List<String> path) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), body)) {
            int depth = 0;
            int matched = 0;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.PROPERTY_NAME
                        && depth == matched + 1
                        && p.currentName().equals(path.get(matched))) {
                    p.nextToken();
                    if (++matched == path.size()) {
                        var loc = p.currentTokenLocation();
                        return Optional.of(new int[] {loc.getLineNr(), loc.getColumnNr()});
                    }
                    t = p.currentToken();
                    if (!t.isStructStart()) {
                        return Optional.empty();
                    }
                }
                depth += t.isStructStart() ? 1 : t.isStructEnd() ? -1 : 0;
                if (depth <= matched && matched > 0) {
                    return Optional.empty();
                }
            }
        } catch (JacksonException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static JsonNode read(JsonParser p, JsonToken token) {
        return switch (token) {
            case START_OBJECT -> {
                ObjectNode o = NODES.objectNode();
                while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                    String name = p.currentName();
                    o.set(name, read(p, p.nextToken()));
                }
                yield o;
            }
            case START_ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    a.add(read(p, t));
                }
                yield a;
            }
            case VALUE_STRING -> NODES.stringNode(p.getString());
            case VALUE_NUMBER_INT -> NODES.numberNode(p.getBigIntegerValue());
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(p.getDecimalValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            default -> NODES.nullNode();
        };
    }

    /** Returns a node as one line of JSON (for reports). */
    public static String compact(JsonNode node) {
        StringBuilder sb = new StringBuilder();
        write(sb, node, null, "");
        return sb.toString();
    }

    /** Writes a node with the given indent unit, ending with a newline when {@code finalNewline}. */
    public static String print(JsonNode node, String indent, boolean finalNewline) {
        StringBuilder sb = new StringBuilder();
        write(sb, node, indent, "");
        return finalNewline ? sb.append('\n').toString() : sb.toString();
    }

    /** Returns the indent unit of an existing file's text (two spaces when it has none). */
    public static String indentOf(String text) {
        for (String line : Lines.plain(text)) {
            int n = 0;
            while (n < line.length() && (line.charAt(n) == ' ' || line.charAt(n) == '\t')) {
                n++;
            }
            if (n > 0) {
                return line.substring(0, n);
            }
        }
        return "  ";
    }

    private static void write(StringBuilder sb, JsonNode node, String unit, String indent) {
        if (node.isObject()) {
            if (node.isEmpty()) {
                sb.append("{}");
                return;
            }
            boolean pretty = unit != null;
            String inner = pretty ? indent + unit : "";
            sb.append(pretty ? "{\n" : "{");
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                sb.append(first ? "" : pretty ? ",\n" : ",").append(inner);
                quote(sb, e.getKey());
                sb.append(pretty ? ": " : ":");
                write(sb, e.getValue(), unit, inner);
                first = false;
            }
            sb.append(pretty ? "\n" + indent + "}" : "}");
        } else if (node.isArray()) {
            if (node.isEmpty()) {
                sb.append("[]");
                return;
            }
            boolean pretty = unit != null;
            String inner = pretty ? indent + unit : "";
            sb.append(pretty ? "[\n" : "[");
            for (int i = 0; i < node.size(); i++) {
                sb.append(i == 0 ? "" : pretty ? ",\n" : ",").append(inner);
                write(sb, node.get(i), unit, inner);
            }
            sb.append(pretty ? "\n" + indent + "]" : "]");
        } else if (node.isString()) {
            quote(sb, node.stringValue());
        } else if (node.isNumber()) {
            sb.append(number(node));
        } else if (node.isBoolean()) {
            sb.append(node.booleanValue());
        } else if (node.isNull()) {
            // not node.toString(): that builds a databind mapper on first use, ~40 ms of a cold command
            sb.append("null");
        } else {
            throw new IllegalArgumentException("cannot write a JSON " + node.getNodeType() + " node");
        }
    }

    private static String number(JsonNode node) {
        if (node.isIntegralNumber()) {
            return node.numberValue().toString();
        }
        BigDecimal d = new BigDecimal(node.numberValue().toString()).stripTrailingZeros();
        return d.scale() <= 0 ? d.toBigInteger().toString() : d.toPlainString();
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
