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
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The targets of pull-runtime: repo files under {@code clients/} whose deployed copy was changed in a client's
 * home. Only files the manifest lists are read (never {@code skills/.system}); the footer is stripped and expanded
 * placeholders are put back where the source had them.
 */
public final class PullModel {
    private static final String SKILLS = "shared/skills/";
    private static final String COMMANDS = "shared/commands/";
    private static final String PROFILES = "codex/profiles/";
    /** How many hex digits of a file's sha256 the notes print and --accept FILE@SHA takes at least. */
    public static final int SHA_SHOWN = 32;

    private final Settings settings;
    private final boolean force;
    private final RepoStatus status;
    private final Map<Path, byte[]> pulled = new LinkedHashMap<>();
    private final Map<Path, Path> from = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<Path, Boolean> executable = new LinkedHashMap<>();
    /** Deployed files whose edit is in the source now, with the sha256 of their bytes: push no longer sees an edit. */
    private final Map<Path, String> kept = new LinkedHashMap<>();
    /**
     * The files the person named to be taken ({@code --accept FILE@SHA}), by real path, with the start of the sha256
     * of the bytes they read; and those found of them.
     */
    private final Map<Path, String> accept;

    private final Set<Path> used = new HashSet<>();

    private PullModel(Settings settings, boolean force, Map<Path, String> accept) {
        this.settings = settings;
        this.force = force;
        this.accept = new LinkedHashMap<>();
        accept.forEach((file, sha) -> this.accept.put(real(file), sha));
        this.status = RepoStatus.of(settings.repo());
    }

    /**
     * The repo files to write, notes for the person (one line per pulled file, things not pulled), and the refusal to
     * raise once the notes are printed (an {@code --accept} naming no file found), which then writes nothing.
     */
    public record Build(List<Target> targets, List<String> notes, Optional<InputException> refusal) {}

    /**
     * Returns the pull of {@code manifest}'s files; skills and commands the person made in the clients' own folders
     * are listed, and with {@code adoptNew} copied into {@code clients/shared/} and recorded as Tandem's (their bytes
     * kept, so {@code clean-runtime --remove} gives them back as they were).
     *
     * @param accept the deployed files that run as they are once pushed (a skill's files other than {@code SKILL.md},
     *     Markdown gaining a line Claude Code runs), changed or new, that the person named to be taken ({@code
     *     --accept FILE@SHA}), each with the start of the sha256 of the bytes they read; every other such file is
     *     named and left out
     * @throws InputException when a file of {@code accept} holds other bytes than the sha256 given for it
     */
    public static Build build(
            Settings settings, Manifest manifest, boolean force, boolean adoptNew, Map<Path, String> accept) {
        PullModel m = new PullModel(settings, force, accept);
        manifest.entries().forEach((path, entry) -> {
            if (settings.engine().covers(entry.engine()) && !entry.engine().equals("shared")) {
                m.consider(Path.of(path), entry);
            }
        });
        NewContent found = NewContent.find(
                settings,
                manifest,
                Sources.load(settings.clients(), settings.sourceLabel()),
                f -> m.acceptance(f, Contents.read(f).orElse(new byte[0])));
        m.notes.addAll(found.notes());
        for (Path file : m.accept.keySet()) {
            if (!m.used.contains(file)) {
                InputException refusal = InputException.of(
                        file,
                        "is no file that pull-runtime found changed or new here and held back (see the notes above);"
                                + " --accept FILE@SHA takes a skill's file other than SKILL.md, or a skill or command"
                                + " gaining a line Claude Code runs as a shell command, changed in, or new to, a"
                                + " client's folder");
                return new Build(List.of(), m.notes, Optional.of(refusal));
            }
        }
        List<Target> targets = new ArrayList<>();
        Map<String, Entry> entries = new LinkedHashMap<>(manifest.entries());
        // an edit that is in the source now is settled: push replaces the file with the same text, footer included
        m.kept.forEach((deployed, sha) -> entries.computeIfPresent(deployed.toString(), (k, e) -> e.withSha256(sha)));
        if (adoptNew && !found.files().isEmpty()) {
            Path originals = settings.stateDir().resolve("originals");
            for (NewContent.Found f : found.files()) {
                // the bytes read now are the ones the person named at the listing, from the folder listed, or none
                // is taken
                byte[] bytes = f.bytes();
                m.add(settings.clients().resolve(f.source()), f.deployed(), bytes);
                // a script made in one client's folder does not become a program the other client runs
                m.executable.put(settings.clients().resolve(f.source()), false);
                if (Files.isExecutable(f.deployed())) {
                    m.notes.add("adopted without its executable bit: " + f.deployed() + " (chmod +x "
                            + settings.sourceLabel() + f.source() + " if both clients should run it)");
                }
                String sha = Sha256.hex(bytes);
                Path kept = originals.resolve(sha);
                targets.add(new GeneratedTarget(kept, Optional.of(bytes)));
                entries.put(
                        f.deployed().toString(), Entry.file(f.engine(), bytes, f.source(), false, Optional.of(sha)));
            }
        } else if (!found.files().isEmpty()) {
            m.notes.add("'tandem sync pull-runtime --new' adopts them into " + settings.sourceLabel()
                    + "shared/ (the next push then" + " deploys them to both clients)");
        }
        if (!entries.equals(manifest.entries())) {
            targets.add(new GeneratedTarget(
                    settings.manifest(), Optional.of(new Manifest(entries).toJson(settings.home()))));
        }
        List<Target> all = new ArrayList<>();
        m.pulled.forEach((repoFile, content) -> all.add(m.target(repoFile, content)));
        all.addAll(targets);
        return new Build(all, m.notes, Optional.empty());
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
        Links.refuse(
                List.of(settings.claudeDir(), settings.codexHome()),
                deployed,
                "where push-runtime deployed a file; pull-runtime does not follow it: delete the link (push-runtime"
                        + " then writes the file again) and pull again");
        // a home copied with 'cp -al' shares push's own bytes with the copy: nothing to pull there, nothing to refuse;
        // the strict read refuses a link put there since the check above, and decides from the bytes it read
        Optional<byte[]> now = Links.readOwned(
                deployed,
                entry.sha256(),
                "where push-runtime deployed a file of its own; pull-runtime does not read it: break the link by"
                        + " copying if its bytes are an edit of yours ('cp " + deployed + " " + deployed + ".tmp && mv "
                        + deployed + ".tmp " + deployed + "'), or else delete it (push-runtime then writes the file"
                        + " again), and pull again");
        if (now.isEmpty()) {
            notes.add("not pulled (deleted at runtime): " + deployed);
            return;
        }
        if (Sha256.hex(now.get()).equals(entry.sha256().get())) {
            return;
        }
        String rel = entry.source().get();
        Path source = settings.clients().resolve(rel);
        Optional<String> original = Contents.text(Contents.read(source));
        if (original.isEmpty()) {
            notes.add("not pulled (source gone from the repo): " + deployed);
            return;
        }
        if (rel.startsWith(PROFILES)) {
            List<String> refused = PulledSettings.refusedInProfile(
                    TomlBlock.values(source, Render.expand(original.get(), "codex")),
                    TomlBlock.values(deployed, Contents.text(now.get())));
            if (!refused.isEmpty()) {
                notPulled(
                        deployed,
                        source,
                        refused,
                        "; 'push-runtime --force " + deployed + "' puts back the pushed one");
                return;
            }
        }
        Optional<Footer> footer = Footer.of(rel, entry.engine());
        if (rel.startsWith(SKILLS) && footer.isEmpty()) {
            // a skill's script runs as it is in the other client too (a sandboxed Codex's edit, run by an unsandboxed
            // Claude Code), and any other file of it, Markdown too, can be one SKILL.md has the model run: taken only
            // when the person names it
            if (!accepted(deployed, now.get())) {
                notes.add("not pulled (a skill's file other than SKILL.md, such as a script, runs as it is in both"
                        + " clients once pushed: read the change, then take it with 'tandem sync pull-runtime --accept "
                        + named(deployed, now.get()) + "'; 'push-runtime --force " + deployed
                        + "' puts back the pushed one): " + deployed);
                return;
            }
            if (!rel.endsWith(".md")) {
                // scripts, images: deployed byte for byte, so pulled byte for byte
                add(source, deployed, now.get());
                return;
            }
        } else if (!rel.endsWith(".md")) {
            // profiles: deployed byte for byte, so pulled byte for byte
            add(source, deployed, now.get());
            return;
        }
        String text = Contents.text(now.get());
        if (footer.isPresent()) {
            text = Render.withoutFooter(
                    deployed, text, footer.get().kind(), footer.get().slug(), entry.engine());
        }
        if (entry.engine().equals("codex") && rel.startsWith(COMMANDS)) {
            text = Render.skillAsCommand(
                    deployed, source, text, footer.orElseThrow().slug(), original.get());
        }
        String back = Render.unexpand(text, original.get(), entry.engine(), settings.hubUrl());
        if (footer.isPresent()) {
            // a skill's or command's front matter grants tools and runs hooks in whichever client it is pushed to
            Render.sameFrontMatter(deployed, source, back, original.get());
            // Claude Code runs a line !`command` when the skill or command is invoked: a new one is a new script
            List<String> runs = ShellLines.added(back, original.get());
            if (!runs.isEmpty() && !accepted(deployed, now.get())) {
                notes.add("not pulled (it gains a line Claude Code runs as a shell command when it is invoked: "
                        + runs.getFirst().lines().findFirst().orElse("").strip()
                        + (runs.size() > 1 ? " (and " + (runs.size() - 1) + " more)" : "")
                        + "; read the change, then take it with 'tandem sync pull-runtime --accept "
                        + named(deployed, now.get()) + "'; 'push-runtime --force " + deployed
                        + "' puts back the pushed one): " + deployed);
                return;
            }
        }
        add(source, deployed, Contents.bytes(back));
    }

    /** Returns whether the person named {@code deployed} with {@code --accept FILE@SHA} of {@code bytes}. */
    private boolean accepted(Path deployed, byte[] bytes) {
        return acceptance(deployed, bytes).isPresent();
    }

    /**
     * Returns the start of the sha256 the person named {@code deployed} with ({@code --accept FILE@SHA}), empty if
     * they did not name it; noted as found if they did.
     *
     * @throws InputException when they named it with the sha256 of other bytes than {@code bytes}
     */
    private Optional<String> acceptance(Path deployed, byte[] bytes) {
        Path file = real(deployed);
        String sha = accept.get(file);
        if (sha == null) {
            return Optional.empty();
        }
        used.add(file);
        String now = Sha256.hex(bytes);
        if (!now.startsWith(sha)) {
            throw InputException.of(
                    deployed,
                    "changed since you named it with --accept " + deployed + "@" + sha + " (its bytes now have"
                            + " sha256 " + now.substring(0, SHA_SHOWN) + "): read it again, then pass --accept with the"
                            + " sha256 pull-runtime prints; nothing was written");
        }
        return Optional.of(sha);
    }

    /** Returns {@code FILE@SHA}: the file and the start of the sha256 of {@code bytes}, as --accept takes it. */
    static String named(Path deployed, byte[] bytes) {
        return deployed + "@" + Sha256.hex(bytes).substring(0, SHA_SHOWN);
    }

    /** Returns the file's real path (links resolved) when it exists, so either spelling of it matches. */
    private static Path real(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        try {
            return absolute.toRealPath();
        } catch (java.io.IOException e) {
            return absolute;
        }
    }

    /** The kind ({@code skill}, {@code command}) and slug push wrote a deployed file's footer with. */
    private record Footer(String kind, String slug) {
        /** Returns the footer of the deployed copy of source {@code rel}, if it has one. */
        static Optional<Footer> of(String rel, String engine) {
            String[] parts = rel.split("/", -1);
            if (rel.startsWith(SKILLS) && parts.length == 4 && parts[3].equals("SKILL.md")) {
                return Optional.of(new Footer("skill", parts[2]));
            }
            if (rel.startsWith(COMMANDS) && parts.length == 3) {
                String name = parts[2].replaceFirst("\\.md$", "");
                return Optional.of(new Footer(engine.equals("codex") ? "skill" : "command", name));
            }
            return Optional.empty();
        }
    }

    private void pullCodexBlock(Path config) {
        Optional<String> text = Contents.text(Contents.read(config));
        Path source = settings.clients().resolve("codex/config-fragment.toml");
        Optional<String> original = Contents.text(Contents.read(source));
        if (text.isEmpty() || original.isEmpty()) {
            return;
        }
        Optional<String> block = TomlBlock.blockText(config, text.get(), TomlBlock.fragment(source, original.get()));
        if (block.isEmpty()) {
            notes.add("not pulled (the block's markers were lost, e.g. by 'codex mcp add'; copy any change you made to"
                    + " [mcp_servers.tandem] into " + source + " before the next push-runtime,"
                    + " which writes the block again): " + config);
            return;
        }
        List<String> refused = PulledSettings.refusedInBlock(
                CodexTargets.rendered(settings, source, original.get()).values(),
                TomlBlock.values(config, block.get()));
        if (!refused.isEmpty()) {
            notPulled(config, source, refused, "; the next push-runtime writes the block again");
            return;
        }
        Set<String> pushLines = new HashSet<>(PulledSettings.AUTH_KEYS);
        pushLines.add(PulledSettings.APPROVAL);
        String body = TomlBlock.withoutKeys(block.get(), List.of("mcp_servers", "tandem"), pushLines);
        String fragment = Render.unexpand(body, original.get(), "codex", settings.hubUrl());
        if (fragment.strip().equals(original.get().strip())) {
            return;
        }
        // what reaches the fragment is checked too, so no line push wrote (or a value cut from it) slips through
        List<String> left;
        try {
            left = PulledSettings.refusedInFragment(plainValues(source, original.get()), plainValues(source, fragment));
        } catch (InputException e) {
            left = List.of("the lines push writes, in a form pull cannot take apart");
        }
        if (!left.isEmpty()) {
            notPulled(config, source, left, "; the next push-runtime writes the block again");
            return;
        }
        add(source, config, Contents.bytes(fragment));
    }

    private Map<String, Object> plainValues(Path source, String fragmentText) {
        return TomlBlock.values(source, Render.expand(fragmentText, "codex").replace("{{hub_url}}", settings.hubUrl()));
    }

    /** Notes a file not pulled because it changes {@code keys}, which pull-runtime never takes from a home. */
    private void notPulled(Path deployed, Path source, List<String> keys, String after) {
        String approval = keys.stream().anyMatch(k -> k.endsWith("." + PulledSettings.APPROVAL))
                ? " (write tools run without asking only by [clients.codex] approve_writes in hub.toml)"
                : "";
        notes.add("not pulled (changes " + String.join(", ", keys) + ", which pull-runtime never takes from a"
                + " client's home" + approval + "; if you made that change, make it in "
                + settings.sourceLabel() + settings.clients().relativize(source) + " yourself" + after + "): "
                + deployed);
    }

    private void add(Path source, Path deployed, byte[] content) {
        byte[] previous = pulled.get(source);
        if (previous != null && !Arrays.equals(previous, content)) {
            throw InputException.of(
                    source,
                    "changed differently in " + from.get(source) + " and " + deployed
                            + "; keep one (e.g. push-runtime --engine of the other) and pull again");
        }
        // read strictly again: the manifest's sha256 is what a hard-linked file later has to hold to be push's own
        Links.readOwned(
                        deployed,
                        Optional.empty(),
                        "where push-runtime deployed a file of its own; pull-runtime does not read it: delete it"
                                + " (push-runtime then writes the file again) and pull again")
                .ifPresent(b -> kept.put(deployed, Sha256.hex(b)));
        if (Contents.same(Contents.read(source), Optional.of(content))) {
            return;
        }
        pulled.put(source, content);
        from.put(source, deployed);
        notes.add("pull " + deployed + " -> " + settings.repo().relativize(source));
    }

    private Target target(Path repoFile, byte[] content) {
        if (!force && Files.exists(repoFile) && status.uncommitted(repoFile)) {
            throw InputException.of(
                    repoFile, "has uncommitted changes; commit or stash them, or pass --force to overwrite");
        }
        boolean exec = executable.getOrDefault(repoFile, Files.isExecutable(repoFile));
        return new FileTarget(repoFile, content, true, exec, false);
    }
}
