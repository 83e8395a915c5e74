package dev.tandem.sync.runtime;

import dev.tandem.core.hash.Sha256;
import dev.tandem.sync.engine.Contents;
import dev.tandem.sync.engine.Target;
import dev.tandem.sync.runtime.JsonTarget.Managed;
import dev.tandem.sync.runtime.Manifest.Entry;
import dev.tandem.sync.text.JsonText;
import dev.tandem.sync.text.MarkerBlock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The targets of a command being built, and the manifest entries they will leave behind. */
final class TargetSet {
    final Manifest old;
    final Map<Path, Target> targets = new LinkedHashMap<>();
    final Map<String, Entry> next = new LinkedHashMap<>();
    final List<String> warnings = new ArrayList<>();

    TargetSet(Manifest old) {
        this.old = old;
    }

    void put(Path path, Target target) {
        targets.put(path, target);
    }

    void file(String engine, Path path, String text, String source, boolean executable) {
        file(engine, path, Contents.bytes(text), source, executable);
    }

    void file(String engine, Path path, byte[] content, String source, boolean executable) {
        boolean owned = old.get(path).isPresent();
        boolean skillFile =
                path.getParent().getParent().getFileName().toString().equals("skills");
        targets.put(path, new FileTarget(path, content, owned, executable, skillFile));
        next.put(path.toString(), Entry.file(engine, content, source));
        warnIfChanged(path, Optional.of(content));
    }

    /**
     * Warns when a whole file Tandem wrote was changed since (its sha256 is no longer the manifest's) and push
     * would replace or delete it: the change is then only in the backups, unless pull-runtime takes it first.
     */
    void warnIfChanged(Path path, Optional<byte[]> replacement) {
        Optional<String> pushed = old.get(path).flatMap(Entry::sha256);
        if (pushed.isEmpty()) {
            return;
        }
        Optional<byte[]> now = Contents.read(path);
        if (now.isPresent() && !Sha256.hex(now.get()).equals(pushed.get()) && !Contents.same(now, replacement)) {
            warnings.add(path + " was changed since the last push; push-runtime "
                    + (replacement.isPresent() ? "replaces" : "deletes") + " it (a copy goes to the backups):"
                    + " run 'tandem sync pull-runtime' first to keep the change in clients/");
        }
    }

    void block(String engine, Path path, MarkerBlock markers, List<String> body) {
        targets.put(path, new BlockTarget(path, markers, Optional.of(body), false));
        managedBlock(engine, path);
    }

    void agents(String engine, Path path, List<AgentSection> sections) {
        boolean created = old.get(path).map(Entry::created).orElseGet(() -> !Files.exists(path));
        targets.put(path, new AgentDocTarget(path, sections, created));
        next.put(path.toString(), new Entry(engine, "agents", Optional.empty(), Optional.empty(), created, Map.of()));
    }

    void managedBlock(String engine, Path path) {
        boolean created = old.get(path).map(Entry::created).orElseGet(() -> !Files.exists(path));
        next.put(path.toString(), new Entry(engine, "block", Optional.empty(), Optional.empty(), created, Map.of()));
    }

    void json(Path path, List<Managed> managed) {
        targets.put(path, new JsonTarget(path, managed, Optional.empty(), false, Target.PRIVATE));
        Optional<byte[]> bytes = Contents.read(path);
        ObjectNode root = JsonText.parseObject(path, Contents.text(bytes).orElse(""));
        Optional<Entry> before = old.get(path);
        // keys added to a fragment after the first push get their priors now; earlier priors are kept
        Map<String, Optional<JsonNode>> priors = new LinkedHashMap<>(JsonTarget.priors(root, managed));
        before.ifPresent(e -> {
            priors.keySet()
                    .removeIf(p -> e.priors().keySet().stream()
                            .anyMatch(q -> p.equals(q) || p.startsWith(q + "/") || q.startsWith(p + "/")));
            priors.putAll(e.priors());
        });
        boolean created = before.map(Entry::created).orElse(bytes.isEmpty());
        next.put(path.toString(), new Entry("claude", "json", Optional.empty(), Optional.empty(), created, priors));
    }
}
