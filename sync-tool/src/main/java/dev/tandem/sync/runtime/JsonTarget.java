package dev.tandem.sync.runtime;

import dev.tandem.sync.engine.Contents;
import dev.tandem.sync.engine.Drift;
import dev.tandem.sync.engine.InputException;
import dev.tandem.sync.engine.Target;
import dev.tandem.sync.text.JsonText;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Managed keys of a JSON file the client also writes ({@code .claude.json}, {@code settings.json}). Every other
 * key is kept; the file is rewritten only when a managed value differs.
 *
 * @param managed the managed keys and their values
 * @param removal empty to write the keys; otherwise remove them, restoring these priors (by JSON pointer)
 * @param created whether Tandem created the file (removal then deletes it when it is left empty)
 * @param newFileMode permissions of a new file
 */
record JsonTarget(
        Path path,
        List<Managed> managed,
        Optional<Map<String, Optional<JsonNode>>> removal,
        boolean created,
        Set<PosixFilePermission> newFileMode)
        implements Target {

    /** One managed key: its path, its value, and whether the value is an array merged by union. */
    record Managed(List<String> path, JsonNode value, boolean union) {
        String name() {
            return String.join(".", path);
        }
    }

    @Override
    public Optional<byte[]> render(Optional<byte[]> actual) {
        String text = Contents.text(actual).orElse("");
        ObjectNode original = JsonText.parseObject(path, text);
        refuseWrongTypes(text, original);
        ObjectNode edited = original.deepCopy();
        removal.ifPresentOrElse(priors -> remove(edited, priors), () -> apply(edited));
        if (edited.equals(original)) {
            return actual;
        }
        if (removal.isPresent() && created && edited.isEmpty()) {
            return Optional.empty();
        }
        boolean finalNewline = actual.isEmpty() || text.endsWith("\n");
        return Optional.of(Contents.bytes(JsonText.print(edited, JsonText.indentOf(text), finalNewline)));
    }

    /**
     * Refuses a file where a key on the way to a managed key is not an object ({@code "mcpServers": "x"}), or a
     * merged list is not an array: writing would replace the person's value, and removing could not restore it.
     */
    private void refuseWrongTypes(String text, ObjectNode root) {
        List<List<String>> paths = new ArrayList<>();
        managed.forEach(m -> paths.add(m.path()));
        removal.ifPresent(priors -> priors.keySet().forEach(p -> paths.add(JsonPaths.path(p))));
        for (List<String> p : paths) {
            for (int n = 1; n < p.size(); n++) {
                wrongType(text, root, p.subList(0, n), "an object", JsonNode::isObject, p);
            }
        }
        for (Managed m : managed) {
            if (m.union()) {
                wrongType(text, root, m.path(), "an array", JsonNode::isArray, m.path());
            }
        }
    }

    private void wrongType(
            String text,
            ObjectNode root,
            List<String> key,
            String expected,
            java.util.function.Predicate<JsonNode> ok,
            List<String> managedKey) {
        Optional<JsonNode> node = JsonPaths.get(root, key);
        if (node.isEmpty() || ok.test(node.get())) {
            return;
        }
        int[] at = JsonText.position(text, key).orElse(new int[] {1, 1});
        throw InputException.at(
                path,
                at[0],
                at[1],
                "'" + String.join(".", key) + "' is "
                        + node.get().getNodeType().name().toLowerCase(Locale.ROOT)
                        + ", not " + expected + "; tandem manages '" + String.join(".", managedKey)
                        + "' there: make it " + expected + " (or delete it) and run the command again");
    }

    private void apply(ObjectNode root) {
        for (Managed m : managed) {
            if (m.union()) {
                JsonPaths.union(root, m.path(), m.value());
            } else {
                JsonPaths.set(root, m.path(), m.value());
            }
        }
    }

    private void remove(ObjectNode root, Map<String, Optional<JsonNode>> priors) {
        if (priors.isEmpty()) {
            for (Managed m : managed) {
                if (m.union() && JsonPaths.get(root, m.path()).orElse(null) instanceof ArrayNode a) {
                    ArrayNode kept = root.arrayNode();
                    a.forEach(v -> {
                        if (!JsonPaths.contains((ArrayNode) m.value(), v)) {
                            kept.add(v);
                        }
                    });
                    JsonPaths.set(root, m.path(), kept);
                } else {
                    JsonPaths.remove(root, m.path());
                }
            }
            return;
        }
        List<String> pointers = new ArrayList<>(priors.keySet());
        // deepest first: the managed key goes before the objects that were created to hold it
        pointers.sort((a, b) ->
                Integer.compare(JsonPaths.path(b).size(), JsonPaths.path(a).size()));
        for (String pointer : pointers) {
            List<String> p = JsonPaths.path(pointer);
            Optional<JsonNode> prior = priors.get(pointer);
            boolean holder = pointers.stream().anyMatch(q -> q.startsWith(pointer + "/"));
            if (prior.isPresent()) {
                JsonPaths.set(root, p, prior.get());
            } else if (JsonPaths.get(root, p.subList(0, p.size() - 1)).orElse(null) instanceof ObjectNode parent
                    && (!holder || (parent.get(p.get(p.size() - 1)) instanceof ObjectNode o && o.isEmpty()))) {
                // an object Tandem created to hold its key goes only when nothing else was put into it since
                parent.remove(p.get(p.size() - 1));
            }
        }
    }

    /** Records, before the first push, what each managed key held (or the shortest missing path). */
    static Map<String, Optional<JsonNode>> priors(ObjectNode root, List<Managed> managed) {
        Map<String, Optional<JsonNode>> out = new java.util.LinkedHashMap<>();
        for (Managed m : managed) {
            List<String> p = m.path();
            int n = 1;
            while (n <= p.size() && JsonPaths.get(root, p.subList(0, n)).isPresent()) {
                n++;
            }
            if (n <= p.size()) {
                // every missing level, so removal can tell the managed key from the objects made to hold it
                for (int k = n; k <= p.size(); k++) {
                    out.put(JsonPaths.pointer(p.subList(0, k)), Optional.empty());
                }
            } else {
                out.put(JsonPaths.pointer(p), JsonPaths.get(root, p).map(JsonNode::deepCopy));
            }
        }
        return out;
    }

    @Override
    public List<Drift> drift(Optional<byte[]> actual, Optional<byte[]> desired) {
        if (removal.isPresent()) {
            return Target.super.drift(actual, desired);
        }
        ObjectNode root = JsonText.parseObject(path, Contents.text(actual).orElse(""));
        List<Drift> out = new ArrayList<>();
        for (Managed m : managed) {
            Optional<JsonNode> got = JsonPaths.get(root, m.path());
            boolean ok = m.union()
                    ? got.orElse(null) instanceof ArrayNode a && containsAll(a, m.value())
                    : got.isPresent() && got.get().equals(m.value());
            if (!ok) {
                out.add(new Drift(
                        path,
                        m.name(),
                        JsonText.compact(m.value()),
                        got.map(JsonText::compact).orElse("(absent)")));
            }
        }
        return out;
    }

    private static boolean containsAll(ArrayNode array, JsonNode values) {
        for (JsonNode v : values) {
            if (!JsonPaths.contains(array, v)) {
                return false;
            }
        }
        return true;
    }
}
