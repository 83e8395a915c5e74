package dev.tandem.sync.runtime;

import dev.tandem.core.hash.Sha256;
import dev.tandem.sync.engine.Contents;
import dev.tandem.sync.engine.InputException;
import dev.tandem.sync.text.JsonText;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
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
     * @param priors for json: values before the first push by JSON pointer; empty Optional = key was absent
     */
    public record Entry(
            String engine,
            String kind,
            Optional<String> sha256,
            Optional<String> source,
            boolean created,
            Map<String, Optional<JsonNode>> priors) {
        public Entry {
            priors = Map.copyOf(priors);
        }

        static Entry file(String engine, byte[] content, String source) {
            return new Entry(engine, "file", Optional.of(Sha256.hex(content)), Optional.of(source), true, Map.of());
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
                            priors));
        }
        if (!root.has("entries")) {
            throw InputException.at(file, 1, 1, "not a Tandem manifest (no \"entries\")");
        }
        return new Manifest(entries);
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
            if (!entry.priors().isEmpty()) {
                ObjectNode priors = n.putObject("priors");
                for (var p : new TreeMap<>(entry.priors()).entrySet()) {
                    ObjectNode prior = priors.putObject(p.getKey());
                    p.getValue().ifPresentOrElse(v -> prior.set("value", v), () -> prior.put("absent", true));
                }
            }
        }
        return Contents.bytes(JsonText.print(root, "  ", true));
    }
}
