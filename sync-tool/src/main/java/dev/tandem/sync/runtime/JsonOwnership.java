package dev.tandem.sync.runtime;

import dev.tandem.sync.runtime.JsonTarget.Managed;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Exactly what Tandem put into one JSON file, so that only that is ever taken back: everything the person or a
 * client added since, even inside an object or list Tandem made, stays.
 *
 * @param priors the keys Tandem set, by JSON pointer, with what each held before (empty: Tandem created the key);
 *     for a merged list, whether the list was there before
 * @param containers the objects Tandem created only to hold its keys (removed again only when left empty)
 * @param added for a merged list, the entries Tandem added to it (entries that were there before are not listed)
 */
record JsonOwnership(
        Map<String, Optional<JsonNode>> priors, List<String> containers, Map<String, List<JsonNode>> added) {
    JsonOwnership {
        priors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(priors));
        containers = List.copyOf(new LinkedHashSet<>(containers));
        added = Map.copyOf(added);
    }

    static JsonOwnership none() {
        return new JsonOwnership(Map.of(), List.of(), Map.of());
    }

    /**
     * Reads the record of an older manifest, whose {@code priors} also held the objects made to hold a key (a
     * pointer with no prior that is the prefix of another one): those become {@link #containers}.
     */
    static JsonOwnership fromLegacy(Map<String, Optional<JsonNode>> priors) {
        Map<String, Optional<JsonNode>> leaves = new LinkedHashMap<>();
        List<String> containers = new ArrayList<>();
        priors.forEach((pointer, prior) -> {
            boolean holder = priors.keySet().stream().anyMatch(q -> q.startsWith(pointer + "/"));
            if (holder && prior.isEmpty()) {
                containers.add(pointer);
            } else {
                leaves.put(pointer, prior);
            }
        });
        return new JsonOwnership(leaves, containers, Map.of());
    }

    /**
     * Returns the record after a push that writes {@code managed} into {@code root} (the file as it is now): keys
     * already owned keep their priors; a new key records what it replaces and the objects made to hold it; a
     * merged list records the entries this push adds.
     */
    static JsonOwnership after(ObjectNode root, List<Managed> managed, JsonOwnership recorded) {
        JsonOwnership old = recorded.migrate(managed);
        Map<String, Optional<JsonNode>> priors = new LinkedHashMap<>();
        Set<String> containers = new LinkedHashSet<>();
        Map<String, List<JsonNode>> added = new LinkedHashMap<>();
        for (Managed m : managed) {
            String pointer = JsonPaths.pointer(m.path());
            Optional<JsonNode> now = JsonPaths.get(root, m.path());
            if (old.priors.containsKey(pointer)) {
                priors.put(pointer, old.priors.get(pointer));
            } else {
                priors.put(pointer, now.map(JsonNode::deepCopy));
                for (int n = 1; n < m.path().size(); n++) {
                    if (JsonPaths.get(root, m.path().subList(0, n)).isEmpty()) {
                        containers.add(JsonPaths.pointer(m.path().subList(0, n)));
                    }
                }
            }
            old.containers.stream().filter(c -> pointer.startsWith(c + "/")).forEach(containers::add);
            if (m.union()) {
                added.put(pointer, addedEntries(m, now, old, pointer));
            }
        }
        List<String> ordered = new ArrayList<>(containers);
        ordered.sort(Comparator.comparingInt(String::length));
        return new JsonOwnership(priors, ordered, added);
    }

    /**
     * Returns this record read against the keys Tandem writes: an older manifest named only the shortest missing
     * path above a key ({@code /mcpServers} for {@code /mcpServers/tandem}) and no list entries. Such a path is an
     * object Tandem made to hold its key, not a key to take back whole (the person's servers are in it); a merged
     * list's entries are those it did not hold before.
     */
    JsonOwnership migrate(List<Managed> managed) {
        Map<String, Optional<JsonNode>> p = new LinkedHashMap<>(priors);
        List<String> c = new ArrayList<>(containers);
        Map<String, List<JsonNode>> a = new LinkedHashMap<>(added);
        for (Managed m : managed) {
            String pointer = JsonPaths.pointer(m.path());
            for (int n = 1; n < m.path().size(); n++) {
                String above = JsonPaths.pointer(m.path().subList(0, n));
                if (p.containsKey(above) && p.get(above).isEmpty()) {
                    p.remove(above);
                    for (int k = n; k < m.path().size(); k++) {
                        c.add(JsonPaths.pointer(m.path().subList(0, k)));
                    }
                    p.putIfAbsent(pointer, Optional.empty());
                    break;
                }
            }
            if (m.union() && p.containsKey(pointer) && !a.containsKey(pointer)) {
                a.put(pointer, entriesNotIn(m.value(), p.get(pointer)));
            }
        }
        return new JsonOwnership(p, c, a);
    }

    /** The entries of a merged list that are Tandem's: those it added before, and those this push adds. */
    private static List<JsonNode> addedEntries(Managed m, Optional<JsonNode> now, JsonOwnership old, String pointer) {
        List<JsonNode> before = old.added.getOrDefault(pointer, List.of());
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode v : m.value()) {
            boolean had = now.orElse(null) instanceof ArrayNode a && JsonPaths.contains(a, v);
            if (containsNode(before, v) || !had) {
                out.add(v.deepCopy());
            }
        }
        return out;
    }

    private static List<JsonNode> entriesNotIn(JsonNode values, Optional<JsonNode> prior) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode v : values) {
            if (!(prior.orElse(null) instanceof ArrayNode a && JsonPaths.contains(a, v))) {
                out.add(v);
            }
        }
        return out;
    }

    private static boolean containsNode(List<JsonNode> list, JsonNode v) {
        return list.stream().anyMatch(v::equals);
    }

    /** Returns every path this record names (keys and objects made to hold them), for type checks. */
    List<List<String>> paths() {
        List<List<String>> out = new ArrayList<>();
        priors.keySet().forEach(p -> out.add(JsonPaths.path(p)));
        containers.forEach(p -> out.add(JsonPaths.path(p)));
        return out;
    }

    /**
     * Takes back from {@code root} what Tandem owns and no longer writes ({@code wanted}: the keys of this push;
     * none for clean-runtime --remove): a key it created goes, a key it replaced gets its earlier value back, a
     * merged list loses only Tandem's entries (and goes when Tandem created it and nothing else is left), and an
     * object made to hold Tandem's keys goes only when it is left empty.
     */
    void takeBack(ObjectNode root, List<Managed> wanted) {
        Map<String, Managed> byPointer = new LinkedHashMap<>();
        wanted.forEach(m -> byPointer.put(JsonPaths.pointer(m.path()), m));
        List<String> keys = new ArrayList<>(priors.keySet());
        keys.sort(
                Comparator.comparingInt((String p) -> JsonPaths.path(p).size()).reversed());
        for (String pointer : keys) {
            List<String> path = JsonPaths.path(pointer);
            Managed still = byPointer.get(pointer);
            if (added.containsKey(pointer)) {
                takeBackEntries(root, path, pointer, Optional.ofNullable(still));
            } else if (still == null) {
                priors.get(pointer).ifPresentOrElse(v -> JsonPaths.set(root, path, v), () -> removeKey(root, path));
            }
        }
        List<String> holders = new ArrayList<>(containers);
        holders.sort(
                Comparator.comparingInt((String p) -> JsonPaths.path(p).size()).reversed());
        for (String pointer : holders) {
            List<String> path = JsonPaths.path(pointer);
            if (JsonPaths.get(root, path).orElse(null) instanceof ObjectNode o && o.isEmpty()) {
                removeKey(root, path);
            }
        }
    }

    private void takeBackEntries(ObjectNode root, List<String> path, String pointer, Optional<Managed> still) {
        if (!(JsonPaths.get(root, path).orElse(null) instanceof ArrayNode list)) {
            return;
        }
        ArrayNode kept = list.arrayNode();
        for (JsonNode v : list) {
            boolean wantedStill =
                    still.map(m -> JsonPaths.contains((ArrayNode) m.value(), v)).orElse(false);
            if (wantedStill || !containsNode(added.get(pointer), v)) {
                kept.add(v);
            }
        }
        if (kept.isEmpty() && still.isEmpty() && priors.get(pointer).isEmpty()) {
            removeKey(root, path);
        } else if (kept.size() != list.size()) {
            JsonPaths.set(root, path, kept);
        }
    }

    private static void removeKey(ObjectNode root, List<String> path) {
        if (JsonPaths.get(root, path.subList(0, path.size() - 1)).orElse(null) instanceof ObjectNode parent) {
            parent.remove(path.get(path.size() - 1));
        }
    }

    /** Returns the keys and entries Tandem owns that are still in {@code root} but no longer wanted. */
    List<String> leftOver(ObjectNode root, List<Managed> wanted) {
        ObjectNode copy = root.deepCopy();
        takeBack(copy, wanted);
        List<String> out = new ArrayList<>();
        for (String pointer : priors.keySet()) {
            Optional<JsonNode> was = JsonPaths.get(root, JsonPaths.path(pointer));
            Optional<JsonNode> now = JsonPaths.get(copy, JsonPaths.path(pointer));
            if (!was.equals(now)) {
                out.add(pointer);
            }
        }
        return out;
    }
}
