package dev.tandem.sync.runtime;

import dev.tandem.sync.engine.Contents;
import dev.tandem.sync.engine.Drift;
import dev.tandem.sync.engine.Target;
import dev.tandem.sync.text.JsonText;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
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
        for (var prior : priors.entrySet()) {
            List<String> p = JsonPaths.path(prior.getKey());
            if (prior.getValue().isPresent()) {
                JsonPaths.set(root, p, prior.getValue().get());
            } else if (JsonPaths.get(root, p.subList(0, p.size() - 1)).orElse(null) instanceof ObjectNode parent) {
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
                out.put(JsonPaths.pointer(p.subList(0, n)), Optional.empty());
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
