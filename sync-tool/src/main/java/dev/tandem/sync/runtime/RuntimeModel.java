package dev.tandem.sync.runtime;

import dev.tandem.sync.engine.Contents;
import dev.tandem.sync.engine.Drift;
import dev.tandem.sync.engine.InputException;
import dev.tandem.sync.engine.Plan;
import dev.tandem.sync.engine.Planner;
import dev.tandem.sync.engine.Target;
import dev.tandem.sync.runtime.Manifest.Entry;
import dev.tandem.sync.text.MarkerBlock;
import dev.tandem.sync.text.TomlBlock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Turns settings, the {@code clients/} sources and the manifest into the targets of a command: what push,
 * check-sync and --dry-run write (one list for all three), what clean-runtime removes.
 */
public final class RuntimeModel {
    private final Settings settings;
    private final Sources sources;
    private final Manifest old;
    private final TargetSet set;
    private final Map<String, Entry> next;
    private final Map<Path, Target> targets;
    private final List<String> warnings;
    private final List<String> notices;
    /** clean-runtime: the push's targets, whose managed keys read an older manifest's records. */
    private final Map<Path, Target> pushed = new LinkedHashMap<>();

    private RuntimeModel(
            Settings settings,
            Sources sources,
            Manifest old,
            Predicate<Path> replaceEdited,
            Predicate<Path> acceptLink) {
        this.settings = settings;
        this.sources = sources;
        this.old = old;
        this.set = new TargetSet(
                old,
                settings.stateDir().resolve("originals"),
                List.of(settings.claudeDir(), settings.codexHome()),
                replaceEdited,
                acceptLink);
        this.next = set.next;
        this.targets = set.targets;
        this.warnings = set.warnings;
        this.notices = set.notices;
    }

    /**
     * The targets of a command and the warnings found while building them.
     *
     * @param notices what the person should know that is neither drift nor a warning of the plan (stderr)
     * @param conflicts files Tandem wrote that the person edited since: left out of the targets
     */
    public record Build(List<Target> targets, List<String> warnings, List<String> notices, List<Drift> conflicts) {
        public Build {
            targets = List.copyOf(targets);
            conflicts = List.copyOf(conflicts);
            // one line per distinct message, however many targets ran into it
            warnings = List.copyOf(new java.util.LinkedHashSet<>(warnings));
            notices = List.copyOf(new java.util.LinkedHashSet<>(notices));
        }

        /** Returns the plan of these targets: what push writes, dry-run prints and check-sync reports. */
        public Plan plan() {
            return Planner.plan(targets, warnings, conflicts);
        }

        /** Returns the target for {@code path}, if the command has one. */
        public Optional<Target> target(Path path) {
            return targets.stream().filter(t -> t.path().equals(path)).findFirst();
        }
    }

    /** Returns the targets of push-runtime and check-sync. */
    public static Build push(Settings settings, Sources sources, Manifest old) {
        return push(settings, sources, old, Set.of());
    }

    /**
     * Returns the targets of push-runtime; the files of {@code force} are replaced even when the person edited them
     * since the last push (every other edited file is left as it is, a conflict).
     *
     * @throws InputException when a file of {@code force} is not one Tandem deployed
     */
    public static Build push(Settings settings, Sources sources, Manifest old, Set<Path> force) {
        List<Path> agentDocs = List.of(
                settings.claudeDir().resolve("CLAUDE.md").toAbsolutePath().normalize(),
                settings.codexHome().resolve("AGENTS.md").toAbsolutePath().normalize());
        for (Path file : force) {
            // an agent document (even one no push wrote yet) is accepted too: --force FILE takes the link found there
            if (!agentDocs.contains(file)
                    && old.get(file)
                            .filter(e -> e.sha256().isPresent() || e.kind().equals("agents"))
                            .isEmpty()) {
                throw InputException.of(
                        file,
                        "not a file tandem sync deployed (see " + settings.manifest()
                                + "); --force FILE replaces a deployed skill, command or memory file you edited,"
                                + " or accepts a symlink put in place of AGENTS.md or CLAUDE.md");
            }
        }
        RuntimeModel m = new RuntimeModel(settings, sources, old, force::contains, force::contains);
        m.addPush();
        m.addStale();
        return m.finish();
    }

    /** Returns the targets of clean-runtime: remove everything managed, then (unless {@code only}) push again. */
    public static Build clean(Settings settings, Sources sources, Manifest old, boolean removeOnly) {
        RuntimeModel m = new RuntimeModel(settings, sources, old, p -> true, p -> false);
        // the push is built for --remove too: its keys tell an older manifest's records apart (JsonOwnership.migrate);
        // a source that cannot be read must not keep --remove from taking Tandem's content out
        try {
            m.addPush();
        } catch (InputException e) {
            if (!removeOnly) {
                throw e;
            }
        }
        Map<Path, Target> push = new LinkedHashMap<>(m.targets);
        m.targets.clear();
        m.pushed.putAll(push);
        for (var e : old.entries().entrySet()) {
            if (m.inScope(e.getValue())) {
                Path path = Path.of(e.getKey());
                m.targets.put(path, m.removal(path, e.getValue()));
                if (removeOnly) {
                    m.set.originalFile(e.getValue())
                            .ifPresent(f -> m.targets.put(f, new GeneratedTarget(f, Optional.empty())));
                }
            }
        }
        if (!removeOnly) {
            push.forEach((path, target) -> m.targets.merge(path, target, Target::then));
        } else {
            m.next.clear();
            m.warnings.clear();
            m.notices.clear();
        }
        return m.finish();
    }

    private boolean inScope(Entry entry) {
        return entry.engine().equals("shared")
                ? settings.engine().ownsShared()
                : settings.engine().covers(entry.engine());
    }

    private Build finish() {
        old.entries().forEach((path, entry) -> {
            if (!settings.engine().covers(entry.engine()) || (entry.engine().equals("shared") && !inScope(entry))) {
                next.putIfAbsent(path, entry);
            }
        });
        boolean hadManifest = Files.exists(settings.manifest());
        if (!next.isEmpty() || hadManifest) {
            Optional<byte[]> content =
                    next.isEmpty() ? Optional.empty() : Optional.of(new Manifest(next).toJson(settings.home()));
            targets.put(settings.manifest(), new GeneratedTarget(settings.manifest(), content));
        }
        return new Build(List.copyOf(targets.values()), warnings, notices, set.conflicts);
    }

    private void addPush() {
        shared();
        List<String> engines = new ArrayList<>();
        if (settings.engine().codex()) {
            engines.add("codex");
        }
        if (settings.engine().claude()) {
            engines.add("claude");
        }
        LiveMemories live = LiveMemories.read(settings, engines);
        live.problem()
                .ifPresent(p -> notices.add("the hub's memory store cannot be read (" + p
                        + "); the memories section of each agent document is left as it is"));
        if (settings.engine().codex()) {
            CodexTargets.add(settings, sources, set, live);
        }
        if (settings.engine().claude()) {
            ClaudeTargets.add(settings, sources, set, live);
        }
    }

    /** Files of the old manifest, in scope, that this push no longer produces. */
    private void addStale() {
        old.entries().forEach((path, entry) -> {
            Path p = Path.of(path);
            if (inScope(entry) && !next.containsKey(path) && !targets.containsKey(p)) {
                if (set.keepEdited(
                        p, current(p, entry), Optional.empty(), entry.source().orElse("(generated)"))) {
                    next.put(path, entry);
                } else {
                    targets.put(p, removal(p, entry));
                }
            }
        });
    }

    private Target removal(Path path, Entry entry) {
        return switch (entry.kind()) {
            case "block" ->
                path.getFileName().toString().equals("config.toml")
                        ? CodexTargets.fragment(settings, sources)
                                .map(f -> f.withTables(entry.tables()))
                                .or(() -> entry.tables().isEmpty()
                                        ? Optional.empty()
                                        : Optional.of(TomlBlock.Fragment.ofTables(entry.tables())))
                                .<Target>map(f -> new TomlTarget(path, f, true, entry.created()))
                                .orElseGet(() ->
                                        new BlockTarget(path, MarkerBlock.HASH, Optional.empty(), entry.created()))
                        : new BlockTarget(path, markersFor(path), Optional.empty(), entry.created());
            case "agents" ->
                set.linkChecked(
                        path, Optional.of(entry), new AgentDocTarget(path, AgentDocs.removals(), entry.created()));
            case "json" ->
                new JsonTarget(
                        path,
                        List.of(),
                        entry.json().migrate(pushed.get(path) instanceof JsonTarget j ? j.managed() : List.of()),
                        true,
                        entry.created(),
                        set.original(entry),
                        Target.PRIVATE);
            default ->
                entry.created()
                        ? new DeleteTarget(
                                path,
                                path.getParent()
                                        .getParent()
                                        .getFileName()
                                        .toString()
                                        .equals("skills"))
                        // a file that was there before the first push gets its bytes from then back
                        : new GeneratedTarget(path, set.original(entry).or(() -> current(path, entry)));
        };
    }

    /**
     * Reads what is at {@code path} now: a file Tandem owns whole strictly (never through a link, nor a hard-linked
     * file whose bytes are not push's own, {@link Links#readOwned}); a file it shares (a block, a JSON key) as the
     * person keeps it, links followed.
     */
    private Optional<byte[]> current(Path path, Entry entry) {
        if (!entry.kind().equals("file")) {
            return Contents.read(path);
        }
        Links.refuse(
                List.of(settings.claudeDir(), settings.codexHome()),
                path,
                "where push-runtime deployed a file it owns, and it never reads through a link there: delete the link"
                        + " and run the command again");
        return Links.readOwned(
                path,
                entry.sha256(),
                "where push-runtime deployed a file of its own, and it does not read it: delete it and run the command"
                        + " again");
    }

    private static MarkerBlock markersFor(Path path) {
        return path.getFileName().toString().endsWith(".md") ? MarkerBlock.HTML : MarkerBlock.HASH;
    }

    // ---- shared: the auth helper, or the shell rc blocks of env mode

    private void shared() {
        // the engines on a fleet hub use their derived keys: this machine needs no token of its own for them
        boolean fleetKeys = settings.fleet().filter(FleetWiring::engineKeys).isPresent();
        settings.fleet()
                .filter(f -> !f.engineKeys())
                .ifPresent(f -> notices.add("the key --from used is not a fleet host key (thk1.<id>.<secret>), so"
                        + " Codex and Claude Code keep this machine's own credentials ("
                        + settings.config().engineTokenFile("codex").getParent()
                        + "/), which only a hub on this machine accepts"));
        if (!fleetKeys && !Files.exists(settings.tokenFile())) {
            warnings.add("no token file at " + settings.tokenFile() + "; run 'tandem token' to create one");
        }
        Optional<Path> ca =
                settings.engine().codex() ? settings.fleet().flatMap(FleetWiring::caFile) : Optional.empty();
        ca.filter(c -> !c.toString().equals(settings.env().get("CODEX_CA_CERTIFICATE")))
                .ifPresent(
                        c -> notices.add(
                                "Codex trusts the fleet hub's certificate (" + c + ") in a shell"
                                        + " started after this push, which exports CODEX_CA_CERTIFICATE; start Codex from a new shell"));
        if (settings.auth() == AuthMode.HELPER) {
            // Codex reads a private CA only from its environment (CODEX_CA_CERTIFICATE; no config key): the shell
            // exports it for a fleet hub whose certificate no public CA signed
            ca.ifPresent(c -> {
                List<String> lines = List.of("# Written by 'tandem sync push-runtime --from'.", caExport(c));
                settings.shellRc().forEach(rc -> set.block("shared", rc, MarkerBlock.HASH, lines));
            });
            set.file(
                    "shared",
                    settings.helper(),
                    AuthHelper.script(
                            settings.tokenFile(),
                            settings.engineTokenFile("codex"),
                            settings.engineTokenFile("claude")),
                    "(generated)",
                    true);
            return;
        }
        // the person's token for the tandem commands and other clients; each engine's own credential for it
        List<String> lines = new ArrayList<>();
        lines.add("# Written by 'tandem sync push-runtime'.");
        lines.add(export("TANDEM_TOKEN", settings.tokenFile()));
        for (String engine : List.of("codex", "claude")) {
            lines.add(export(AuthHelper.envVar(engine), settings.engineTokenFile(engine)));
        }
        ca.ifPresent(c -> lines.add(caExport(c)));
        for (Path rc : settings.shellRc()) {
            set.block("shared", rc, MarkerBlock.HASH, lines);
        }
        staleVariable("TANDEM_TOKEN", settings.tokenFile());
        for (String engine : List.of("codex", "claude")) {
            staleVariable(AuthHelper.envVar(engine), settings.engineTokenFile(engine));
        }
    }

    /** Warns when the shell still holds an older value of a credential than its file (after a rotation). */
    private void staleVariable(String variable, Path file) {
        String env = settings.env().get(variable);
        Optional<String> token = Contents.text(Contents.read(file)).map(String::strip);
        if (env != null && token.isPresent() && !env.strip().equals(token.get())) {
            warnings.add("$" + variable + " differs from " + file
                    + "; open a new shell (or source your rc file) so the clients send the current token");
        }
    }

    /** Returns the line that makes Codex trust {@code ca}, added to the CAs it already trusts. */
    private static String caExport(Path ca) {
        return "export CODEX_CA_CERTIFICATE=" + AuthHelper.quote(ca.toString());
    }

    private static String export(String variable, Path file) {
        return "export " + variable + "=\"$(cat " + AuthHelper.quote(file.toString()) + " 2>/dev/null)\"";
    }

    // ---- Claude Code

    // ---- target builders that also record the manifest entry

}
