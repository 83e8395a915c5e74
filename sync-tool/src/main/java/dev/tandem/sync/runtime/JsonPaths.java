package dev.tandem.sync.runtime;

import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Reads and edits a JSON object tree at key paths, and names them as JSON pointers. */
final class JsonPaths {
    private JsonPaths() {}

    static Optional<JsonNode> get(ObjectNode root, List<String> path) {
        JsonNode node = root;
        for (String key : path) {
            if (!(node instanceof ObjectNode o) || !o.has(key)) {
                return Optional.empty();
            }
            node = o.get(key);
        }
        return Optional.of(node);
    }

    /** Sets a value, creating objects on the way (replacing a non-object in the way). */
    static void set(ObjectNode root, List<String> path, JsonNode value) {
        ObjectNode parent = root;
        for (String key : path.subList(0, path.size() - 1)) {
            JsonNode next = parent.get(key);
            parent = next instanceof ObjectNode o ? o : parent.putObject(key);
        }
        parent.set(path.get(path.size() - 1), value.deepCopy());
    }

    /** Adds the elements of {@code values} missing from the array at the path (creating it). */
    static void union(ObjectNode root, List<String> path, JsonNode values) {
        JsonNode current = get(root, path).orElse(null);
        ArrayNode array = current instanceof ArrayNode a ? a.deepCopy() : root.arrayNode();
        for (JsonNode v : values) {
            if (!contains(array, v)) {
                array.add(v.deepCopy());
            }
        }
        set(root, path, array);
    }

    static boolean contains(ArrayNode array, JsonNode value) {
        for (JsonNode v : array) {
            if (v.equals(value)) {
                return true;
            }
        }
        return false;
    }

    /** Removes the key at the path, then every object on the way that became empty. */
    static void remove(ObjectNode root, List<String> path) {
        if (path.isEmpty()) {
            return;
        }
        Optional<JsonNode> parent = get(root, path.subList(0, path.size() - 1));
        if (parent.isPresent() && parent.get() instanceof ObjectNode o) {
            o.remove(path.get(path.size() - 1));
            if (o.isEmpty() && path.size() > 1) {
                remove(root, path.subList(0, path.size() - 1));
            }
        }
    }

    static String pointer(List<String> path) {
        StringBuilder sb = new StringBuilder();
        for (String key : path) {
            sb.append('/').append(key.replace("~", "~0").replace("/", "~1"));
        }
        return sb.toString();
    }

    static List<String> path(String pointer) {
        return java.util.Arrays.stream(pointer.substring(1).split("/", -1))
                .map(k -> k.replace("~1", "/").replace("~0", "~"))
                .toList();
    }
}
