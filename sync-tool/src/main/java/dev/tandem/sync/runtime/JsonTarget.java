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
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Managed keys of a JSON file the client also writes ({@code .claude.json}, {@code settings.json}). Every other
 * key is kept; the file is rewritten only when a managed value differs. What Tandem owns there ({@link
 * JsonOwnership}) is all it ever takes back.
 *
 * @param managed the managed keys and their values (none for clean-runtime --remove)
 * @param owned what earlier pushes put into the file; what of it {@code managed} no longer names is taken back
 * @param removeAll whether this is a removal (clean-runtime): then the file goes when Tandem created it and
 *     nothing else is left, and gets its bytes from before the first push back when its content is that again
 * @param created whether Tandem created the file
 * @param original the file's bytes before the first push, when Tandem kept them
 * @param newFileMode permissions of a new file
 */
record JsonTarget(
        Path path,
        List<Managed> managed,
        JsonOwnership owned,
        boolean removeAll,
        boolean created,
        Optional<byte[]> original,
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
        ObjectNode parsed = JsonText.parseObject(path, text);
        refuseWrongTypes(text, parsed);
        ObjectNode edited = parsed.deepCopy();
        owned.takeBack(edited, managed);
        apply(edited);
        if (edited.equals(parsed)) {
            return actual;
        }
        if (removeAll && created && edited.isEmpty()) {
            return Optional.empty();
        }
        // the content is what it was before the first push: give back those bytes, spacing and key order included
        Optional<byte[]> before = original.filter(b -> removeAll && sameTree(b, edited));
        if (before.isPresent()) {
            return Optional.of(before.get().clone());
        }
        boolean finalNewline = actual.isEmpty() || text.endsWith("\n");
        return Optional.of(Contents.bytes(JsonText.print(edited, JsonText.indentOf(text), finalNewline)));
    }

    private boolean sameTree(byte[] bytes, ObjectNode tree) {
        try {
            return JsonText.parseObject(path, Contents.text(bytes)).equals(tree);
        } catch (InputException e) {
            return false;
        }
    }

    /**
     * Refuses a file where a key on the way to a managed key is not an object ({@code "mcpServers": "x"}), or a
     * merged list is not an array: writing would replace the person's value, and removing could not restore it.
     */
    private void refuseWrongTypes(String text, ObjectNode root) {
        List<List<String>> paths = new ArrayList<>();
        managed.forEach(m -> paths.add(m.path()));
        paths.addAll(owned.paths());
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

    @Override
    public List<Drift> drift(Optional<byte[]> actual, Optional<byte[]> desired) {
        if (removeAll) {
            return Target.super.drift(actual, desired);
        }
        ObjectNode root = JsonText.parseObject(path, Contents.text(actual).orElse(""));
        List<Drift> out = new ArrayList<>();
        for (String pointer : owned.leftOver(root, managed)) {
            out.add(new Drift(
                    path,
                    String.join(".", JsonPaths.path(pointer)),
                    "(not Tandem's any more)",
                    JsonPaths.get(root, JsonPaths.path(pointer))
                            .map(JsonText::compact)
                            .orElse("(absent)")));
        }
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
