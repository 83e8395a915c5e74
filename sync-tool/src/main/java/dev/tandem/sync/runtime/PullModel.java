package dev.tandem.sync.runtime;

import dev.tandem.core.hash.Sha256;
import dev.tandem.sync.engine.Contents;
import dev.tandem.sync.engine.InputException;
import dev.tandem.sync.engine.Target;
import dev.tandem.sync.runtime.Manifest.Entry;
import dev.tandem.sync.text.TomlBlock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The targets of pull-runtime: repo files under {@code clients/} whose deployed copy was changed in a client's
 * home. Only files the manifest lists are read (never {@code skills/.system}); the footer is stripped and expanded
 * placeholders are put back where the source had them.
 */
public final class PullModel {
    private final Settings settings;
    private final boolean force;
    private final RepoStatus status;
    private final Map<Path, String> pulled = new LinkedHashMap<>();
    private final Map<Path, Path> from = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    private PullModel(Settings settings, boolean force) {
        this.settings = settings;
        this.force = force;
        this.status = RepoStatus.of(settings.repo());
    }

    /** The repo files to write, and notes for the person (one line per pulled file, things not pulled). */
    public record Build(List<Target> targets, List<String> notes) {}

    public static Build build(Settings settings, Manifest manifest, boolean force) {
        PullModel m = new PullModel(settings, force);
        manifest.entries().forEach((path, entry) -> {
            if (settings.engine().covers(entry.engine()) && !entry.engine().equals("shared")) {
                m.consider(Path.of(path), entry);
            }
        });
        List<Target> targets = new ArrayList<>();
        m.pulled.forEach((repoFile, text) -> targets.add(m.target(repoFile, text)));
        return new Build(targets, m.notes);
    }

    private void consider(Path deployed, Entry entry) {
        if (entry.kind().equals("block") && deployed.getFileName().toString().equals("config.toml")) {
            pullCodexBlock(deployed);
            return;
        }
        if (!entry.kind().equals("file")
                || entry.source().isEmpty()
                || entry.sha256().isEmpty()) {
            return;
        }
        Optional<byte[]> now = Contents.read(deployed);
        if (now.isEmpty()) {
            notes.add("not pulled (deleted at runtime): " + deployed);
            return;
        }
        if (Sha256.hex(now.get()).equals(entry.sha256().get())) {
            return;
        }
        Path source = settings.clients().resolve(entry.source().get());
        Optional<String> original = Contents.text(Contents.read(source));
        if (original.isEmpty()) {
            notes.add("not pulled (source gone from the repo): " + deployed);
            return;
        }
        String text = Render.withoutFooter(Contents.text(now.get()));
        if (entry.engine().equals("codex") && entry.source().get().startsWith("shared/commands/")) {
            text = Render.skillAsCommand(text, original.get());
        }
        add(source, deployed, Render.unexpand(text, original.get(), entry.engine(), settings.hubUrl()));
    }

    private void pullCodexBlock(Path config) {
        Optional<String> text = Contents.text(Contents.read(config));
        Path source = settings.clients().resolve("codex/config-fragment.toml");
        Optional<String> original = Contents.text(Contents.read(source));
        if (text.isEmpty() || original.isEmpty()) {
            return;
        }
        Optional<String> block = TomlBlock.blockText(config, text.get());
        if (block.isEmpty()) {
            notes.add("not pulled (markers lost, run push-runtime first): " + config);
            return;
        }
        List<String> lines = new ArrayList<>(block.get().lines().toList());
        lines.removeIf(l -> l.startsWith("http_headers_helper = ") || l.startsWith("bearer_token_env_var = "));
        String body = String.join("\n", lines) + "\n";
        String fragment = Render.unexpand(body, original.get(), "codex", settings.hubUrl());
        if (!fragment.strip().equals(original.get().strip())) {
            add(source, config, fragment);
        }
    }

    private void add(Path source, Path deployed, String text) {
        String previous = pulled.get(source);
        if (previous != null && !previous.equals(text)) {
            throw InputException.of(
                    source,
                    "changed differently in " + from.get(source) + " and " + deployed
                            + "; keep one (e.g. push-runtime --engine of the other) and pull again");
        }
        if (Contents.text(Contents.read(source)).orElse("").equals(text)) {
            return;
        }
        pulled.put(source, text);
        from.put(source, deployed);
        notes.add("pull " + deployed + " -> " + settings.repo().relativize(source));
    }

    private Target target(Path repoFile, String text) {
        if (!force && status.uncommitted(repoFile)) {
            throw InputException.of(
                    repoFile, "has uncommitted changes; commit or stash them, or pass --force to overwrite");
        }
        return new FileTarget(repoFile, Contents.bytes(text), true, Files.isExecutable(repoFile), false);
    }
}
