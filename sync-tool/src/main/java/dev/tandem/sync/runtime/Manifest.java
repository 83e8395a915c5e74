package dev.tandem.sync.runtime;

import dev.tandem.core.hash.Sha256;
import dev.tandem.sync.engine.Contents;
import dev.tandem.sync.engine.InputException;
import dev.tandem.sync.text.JsonText;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code ~/.tandem/manifest.json}: every file, block and JSON key Tandem wrote, so only those are ever updated or
 * removed, and so {@code clean-runtime --remove} can restore what was there before the first push.
 *
 * @param entries by absolute target path
 */
public record Manifest(Map<String, Entry> entries) {
    public Manifest {
        entries = Map.copyOf(entries);
    }

    /**
     * One managed target.
     *
     * @param engine codex, claude or shared
     * @param kind file (whole file), block (managed block in a person's file) or json (managed keys)
     * @param sha256 of a whole file as written
     * @param source the {@code clients/} path it came from
     * @param created whether the first push created the file (so removal deletes it when nothing else is left)
     * @param json for json: exactly which keys, objects and list entries Tandem put there
     * @param original the sha256 of the file's bytes before the first push, kept under {@code
     *     ~/.tandem/state/originals/} so removal can give them back byte for byte
     * @param tables for a TOML block: the key paths of the tables Tandem wrote there
     * @param link for a document with a managed section ({@code AGENTS.md}, {@code CLAUDE.md}): the file its chain
     *     of symlinks ended at when push first wrote the section, or {@code ""} when it was no link; empty in a
     *     manifest from before this was recorded (the next push records what it finds)
     */
    public record Entry(
            String engine,
            String kind,
            Optional<String> sha256,
            Optional<String> source,
            boolean created,
            JsonOwnership json,
            Optional<String> original,
            List<List<String>> tables,
            Optional<String> link) {
        public Entry {
            tables = tables.stream().map(List::copyOf).toList();
        }

        Entry withSha256(String sha) {
            return new Entry(engine, kind, Optional.of(sha), source, created, json, original, tables, link);
        }

        Entry withLink(String to) {
            return new Entry(engine, kind, sha256, source, created, json, original, tables, Optional.of(to));
        }

        static Entry file(String engine, byte[] content, String source, boolean created, Optional<String> original) {
            return new Entry(
                    engine,
                    "file",
                    Optional.of(Sha256.hex(content)),
                    Optional.of(source),
                    created,
                    JsonOwnership.none(),
                    original,
                    List.of(),
                    Optional.empty());
        }

        static Entry of(String engine, String kind, boolean created) {
            return new Entry(
                    engine,
                    kind,
                    Optional.empty(),
                    Optional.empty(),
                    created,
                    JsonOwnership.none(),
                    Optional.empty(),
                    List.of(),
                    Optional.empty());
        }

        static Entry block(String engine, boolean created, List<List<String>> tables) {
            return new Entry(
                    engine,
                    "block",
                    Optional.empty(),
                    Optional.empty(),
                    created,
                    JsonOwnership.none(),
                    Optional.empty(),
                    tables,
                    Optional.empty());
        }
    }

    public static Manifest empty() {
        return new Manifest(Map.of());
    }

    public Optional<Entry> get(Path path) {
        return Optional.ofNullable(entries.get(path.toString()));
    }

    /** Loads the manifest; paths written as {@code ~/…} are below {@code home}, so a moved home keeps working. */
    public static Manifest load(Path file, Path home) {
        Optional<byte[]> bytes = Contents.read(file);
        if (bytes.isEmpty()) {
            return empty();
        }
        ObjectNode root = JsonText.parseObject(file, Contents.text(bytes.get()));
        Map<String, Entry> entries = new LinkedHashMap<>();
        JsonNode all = root.path("entries");
        for (Map.Entry<String, JsonNode> e : all.properties()) {
            JsonNode n = e.getValue();
            Map<String, Optional<JsonNode>> priors = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> p : n.path("priors").properties()) {
                priors.put(
                        p.getKey(),
                        p.getValue().path("absent").asBoolean(false)
                                ? Optional.empty()
                                : Optional.of(p.getValue().path("value")));
            }
            JsonOwnership json;
            if (n.has("containers") || n.has("added")) {
                List<String> containers = new ArrayList<>();
                n.path("containers").forEach(c -> containers.add(c.asString()));
                Map<String, List<JsonNode>> added = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> a : n.path("added").properties()) {
                    List<JsonNode> values = new ArrayList<>();
                    a.getValue().forEach(values::add);
                    added.put(a.getKey(), values);
                }
                json = new JsonOwnership(priors, containers, added);
            } else {
                json = JsonOwnership.fromLegacy(priors);
            }
            entries.put(
                    e.getKey().startsWith("~/")
                            ? home.resolve(e.getKey().substring(2)).toString()
                            : e.getKey(),
                    new Entry(
                            n.path("engine").asString("shared"),
                            n.path("kind").asString("file"),
                            text(n, "sha256"),
                            text(n, "source"),
                            n.path("created").asBoolean(false),
                            json,
                            text(n, "original"),
                            tables(n.path("tables")),
                            text(n, "link")));
        }
        if (!root.has("entries")) {
            throw InputException.at(file, 1, 1, "not a Tandem manifest (no \"entries\")");
        }
        return new Manifest(entries);
    }

    private static List<List<String>> tables(JsonNode list) {
        List<List<String>> out = new ArrayList<>();
        for (JsonNode t : list) {
            List<String> path = new ArrayList<>();
            t.forEach(k -> path.add(k.asString()));
            out.add(path);
        }
        return out;
    }

    private static Optional<String> text(JsonNode n, String key) {
        return n.has(key) ? Optional.of(n.get(key).asString()) : Optional.empty();
    }

    /** Returns the manifest as stable JSON (sorted paths, no timestamps, so an unchanged push rewrites nothing). */
    public byte[] toJson(Path home) {
        ObjectNode root = JsonText.object();
        root.put("version", 1);
        ObjectNode all = root.putObject("entries");
        Map<String, Entry> byName = new TreeMap<>();
        entries.forEach((path, entry) ->
                byName.put(Path.of(path).startsWith(home) ? "~/" + home.relativize(Path.of(path)) : path, entry));
        for (Map.Entry<String, Entry> e : byName.entrySet()) {
            Entry entry = e.getValue();
            ObjectNode n = all.putObject(e.getKey());
            n.put("engine", entry.engine());
            n.put("kind", entry.kind());
            entry.sha256().ifPresent(s -> n.put("sha256", s));
            entry.source().ifPresent(s -> n.put("source", s));
            n.put("created", entry.created());
            entry.original().ifPresent(s -> n.put("original", s));
            entry.link().ifPresent(s -> n.put("link", s));
            if (!entry.tables().isEmpty()) {
                ArrayNode tables = n.putArray("tables");
                entry.tables().forEach(t -> {
                    ArrayNode path = tables.addArray();
                    t.forEach(path::add);
                });
            }
            JsonOwnership json = entry.json();
            if (!json.priors().isEmpty()) {
                ObjectNode priors = n.putObject("priors");
                for (var p : new TreeMap<>(json.priors()).entrySet()) {
                    ObjectNode prior = priors.putObject(p.getKey());
                    p.getValue().ifPresentOrElse(v -> prior.set("value", v), () -> prior.put("absent", true));
                }
                ArrayNode containers = n.putArray("containers");
                json.containers().forEach(containers::add);
                ObjectNode added = n.putObject("added");
                new TreeMap<>(json.added()).forEach((k, v) -> {
                    ArrayNode list = added.putArray(k);
                    v.forEach(list::add);
                });
            }
        }
        return Contents.bytes(JsonText.print(root, "  ", true));
    }
}
