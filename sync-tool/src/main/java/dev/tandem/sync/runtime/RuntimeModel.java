package dev.tandem.sync.runtime;

import dev.tandem.sync.engine.Contents;
import dev.tandem.sync.engine.InputException;
import dev.tandem.sync.engine.Target;
import dev.tandem.sync.runtime.JsonTarget.Managed;
import dev.tandem.sync.runtime.Manifest.Entry;
import dev.tandem.sync.runtime.Sources.Source;
import dev.tandem.sync.text.JsonText;
import dev.tandem.sync.text.MarkerBlock;
import dev.tandem.sync.text.TomlBlock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns settings, the {@code clients/} sources and the manifest into the targets of a command: what push,
 * check-sync and --dry-run write (one list for all three), what clean-runtime removes.
 */
public final class RuntimeModel {
    private final Settings settings;
    private final Sources sources;
    private final Manifest old;
    private final Map<String, Entry> next = new LinkedHashMap<>();
    private final Map<Path, Target> targets = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();

    private RuntimeModel(Settings settings, Sources sources, Manifest old) {
        this.settings = settings;
        this.sources = sources;
        this.old = old;
    }

    /** The targets of a command and the warnings found while building them. */
    public record Build(List<Target> targets, List<String> warnings) {}

    /** Returns the targets of push-runtime and check-sync. */
    public static Build push(Settings settings, Sources sources, Manifest old) {
        RuntimeModel m = new RuntimeModel(settings, sources, old);
        m.addPush();
        m.addStale();
        return m.finish();
    }

    /** Returns the targets of clean-runtime: remove everything managed, then (unless {@code only}) push again. */
    public static Build clean(Settings settings, Sources sources, Manifest old, boolean removeOnly) {
        RuntimeModel m = new RuntimeModel(settings, sources, old);
        if (!removeOnly) {
            m.addPush();
        }
        Map<Path, Target> push = new LinkedHashMap<>(m.targets);
        m.targets.clear();
        for (var e : old.entries().entrySet()) {
            if (m.inScope(e.getValue())) {
                Path path = Path.of(e.getKey());
                m.targets.put(path, m.removal(path, e.getValue()));
            }
        }
        push.forEach((path, target) -> m.targets.merge(path, target, Target::then));
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
            Optional<byte[]> content = next.isEmpty() ? Optional.empty() : Optional.of(new Manifest(next).toJson());
            targets.put(settings.manifest(), new GeneratedTarget(settings.manifest(), content));
        }
        return new Build(List.copyOf(targets.values()), warnings);
    }

    private void addPush() {
        shared();
        if (settings.engine().codex()) {
            codex();
        }
        if (settings.engine().claude()) {
            claude();
        }
    }

    /** Files of the old manifest, in scope, that this push no longer produces. */
    private void addStale() {
        old.entries().forEach((path, entry) -> {
            Path p = Path.of(path);
            if (inScope(entry) && !next.containsKey(path) && !targets.containsKey(p)) {
                targets.put(p, removal(p, entry));
            }
        });
    }

    private Target removal(Path path, Entry entry) {
        return switch (entry.kind()) {
            case "block" ->
                path.getFileName().toString().equals("config.toml")
                        ? codexFragment()
                                .<Target>map(f -> new TomlTarget(path, f, true, entry.created()))
                                .orElseGet(() ->
                                        new BlockTarget(path, MarkerBlock.HASH, Optional.empty(), entry.created()))
                        : new BlockTarget(path, markersFor(path), Optional.empty(), entry.created());
            case "json" ->
                new JsonTarget(path, List.of(), Optional.of(entry.priors()), entry.created(), Target.PRIVATE);
            default ->
                new DeleteTarget(
                        path,
                        path.getParent().getParent().getFileName().toString().equals("skills"));
        };
    }

    private static MarkerBlock markersFor(Path path) {
        return path.getFileName().toString().endsWith(".md") ? MarkerBlock.HTML : MarkerBlock.HASH;
    }

    // ---- shared: the auth helper, or the shell rc blocks of env mode

    private void shared() {
        if (!Files.exists(settings.tokenFile())) {
            warnings.add("no token file at " + settings.tokenFile() + "; run 'tandem token' to create one");
        }
        if (settings.auth() == AuthMode.HELPER) {
            file("shared", settings.helper(), AuthHelper.script(settings.tokenFile()), "(generated)", true);
            return;
        }
        String export = "export TANDEM_TOKEN=\"$(cat "
                + AuthHelper.quote(settings.tokenFile().toString()) + " 2>/dev/null)\"";
        for (Path rc : settings.shellRc()) {
            block("shared", rc, MarkerBlock.HASH, List.of("# Written by 'tandem sync push-runtime'.", export));
        }
        String env = settings.env().get("TANDEM_TOKEN");
        Optional<String> token =
                Contents.text(Contents.read(settings.tokenFile())).map(String::strip);
        if (env != null && token.isPresent() && !env.strip().equals(token.get())) {
            warnings.add("$TANDEM_TOKEN differs from " + settings.tokenFile()
                    + "; open a new shell (or source your rc file) so the clients send the current token");
        }
    }

    // ---- Codex

    private void codex() {
        Path home = settings.codexHome();
        codexFragment().ifPresent(f -> {
            Path config = home.resolve("config.toml");
            targets.put(config, new TomlTarget(config, f, false, false));
            managedBlock("codex", config);
        });
        Map<String, String> slugs = new LinkedHashMap<>();
        for (Sources.Skill skill : sources.skills()) {
            slugs.put(skill.slug(), "skill");
            skill.files()
                    .forEach((rel, src) -> file(
                            "codex",
                            home.resolve("skills").resolve(skill.slug()).resolve(rel),
                            skillText(rel, src, skill.slug(), "codex"),
                            src.rel(),
                            false));
        }
        for (Source command : sources.commands()) {
            if (slugs.containsKey(command.name())) {
                throw InputException.of(
                        command.file(),
                        "Codex gets commands as skills, and a skill '" + command.name()
                                + "' exists already; rename one of them");
            }
            String text = Render.expand(
                    Render.withFooter(Render.commandAsSkill(command.name(), command.text()), "skill", command.name()),
                    "codex");
            file(
                    "codex",
                    home.resolve("skills").resolve(command.name()).resolve("SKILL.md"),
                    text,
                    command.rel(),
                    false);
        }
        if (!sources.memories().isEmpty()) {
            List<String> body = new ArrayList<>();
            body.add("<!-- Shared memory from Tandem (clients/shared); edit it there and push, or pull-runtime. -->");
            for (Source memory : sources.memories()) {
                body.add("<!-- from clients/" + memory.rel() + " -->");
                body.addAll(Render.expand(memory.text(), "codex").lines().toList());
            }
            block("codex", home.resolve("AGENTS.md"), MarkerBlock.HTML, body);
        }
    }

    private Optional<TomlBlock.Fragment> codexFragment() {
        return sources.codexFragment().map(src -> {
            String text = Render.expand(src.text(), "codex").replace("{{hub_url}}", settings.hubUrl());
            TomlBlock.Fragment plain = TomlBlock.fragment(src.file(), text);
            refuseAuthKeys(src.file(), plain);
            return TomlBlock.fragment(src.file(), withAuthLine(src.file(), text));
        });
    }

    private static void refuseAuthKeys(Path source, TomlBlock.Fragment fragment) {
        Object server =
                fragment.values().get("mcp_servers") instanceof Map<?, ?> servers ? servers.get("tandem") : null;
        if (!(server instanceof Map<?, ?> entry)) {
            throw InputException.of(source, "needs a [mcp_servers.tandem] table (the hub entry)");
        }
        for (String key : List.of("bearer_token", "bearer_token_env_var", "http_headers_helper")) {
            if (entry.containsKey(key)) {
                throw InputException.of(
                        source,
                        "[mcp_servers.tandem] " + key
                                + " is written by tandem sync from the auth mode (helper or env); remove it here");
            }
        }
    }

    private String withAuthLine(Path source, String text) {
        String auth = settings.auth() == AuthMode.HELPER
                ? "http_headers_helper = "
                        + tomlString(AuthHelper.quote(settings.helper().toString()))
                : "bearer_token_env_var = \"TANDEM_TOKEN\"";
        List<String> lines = new ArrayList<>(text.lines().toList());
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().startsWith("[mcp_servers.tandem]")) {
                lines.add(i + 1, auth);
                return String.join("\n", lines) + "\n";
            }
        }
        throw InputException.of(source, "needs a [mcp_servers.tandem] header line");
    }

    private static String tomlString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    // ---- Claude Code

    private void claude() {
        Path dir = settings.claudeDir();
        ObjectNode server = JsonText.object();
        server.put("type", "http");
        server.put("url", settings.hubUrl());
        if (settings.auth() == AuthMode.HELPER) {
            server.put("headersHelper", AuthHelper.quote(settings.helper().toString()));
        } else {
            server.putObject("headers").put("Authorization", "Bearer ${TANDEM_TOKEN}");
        }
        json(settings.claudeJson(), List.of(new Managed(List.of("mcpServers", "tandem"), server, false)));
        sources.claudeSettings().ifPresent(src -> {
            ObjectNode fragment = JsonText.parseObject(
                    src.file(), Render.expand(src.text(), "claude").replace("{{hub_url}}", settings.hubUrl()));
            List<Managed> managed = new ArrayList<>();
            leaves(fragment, List.of(), managed);
            json(dir.resolve("settings.json"), managed);
        });
        for (Sources.Skill skill : sources.skills()) {
            skill.files()
                    .forEach((rel, src) -> file(
                            "claude",
                            dir.resolve("skills").resolve(skill.slug()).resolve(rel),
                            skillText(rel, src, skill.slug(), "claude"),
                            src.rel(),
                            false));
        }
        for (Source command : sources.commands()) {
            String text = Render.expand(Render.withFooter(command.text(), "command", command.name()), "claude");
            file("claude", dir.resolve("commands").resolve(command.name() + ".md"), text, command.rel(), false);
        }
        if (!sources.memories().isEmpty()) {
            List<String> body = new ArrayList<>();
            body.add("<!-- Shared memory from Tandem (clients/shared), imported below; edit it there and push. -->");
            for (Source memory : sources.memories()) {
                Path file = memoryFile(memory);
                file("claude", file, Render.expand(memory.text(), "claude"), memory.rel(), false);
                body.add("@" + importPath(file));
            }
            block("claude", dir.resolve("CLAUDE.md"), MarkerBlock.HTML, body);
        }
    }

    /** Returns where a memory source goes for Claude: {@code <claude dir>/tandem/memory/<path below memory/>}. */
    Path memoryFile(Source memory) {
        String rel = memory.rel().startsWith("shared/memory/")
                ? memory.rel().substring("shared/memory/".length())
                : memory.file().getFileName().toString();
        return settings.claudeDir().resolve("tandem").resolve("memory").resolve(rel);
    }

    private String importPath(Path file) {
        // '@~/' imports always point into $HOME, even when CLAUDE_CONFIG_DIR is set elsewhere
        return file.startsWith(settings.home()) ? "~/" + settings.home().relativize(file) : file.toString();
    }

    private static void leaves(ObjectNode node, List<String> prefix, List<Managed> out) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            List<String> path = new ArrayList<>(prefix);
            path.add(e.getKey());
            if (e.getValue() instanceof ObjectNode o && !o.isEmpty()) {
                leaves(o, path, out);
            } else {
                out.add(new Managed(
                        List.copyOf(path), e.getValue(), e.getValue().isArray()));
            }
        }
    }

    private static String skillText(String rel, Source src, String slug, String engine) {
        String text = rel.equals("SKILL.md") ? Render.withFooter(src.text(), "skill", slug) : src.text();
        return rel.endsWith(".md") ? Render.expand(text, engine) : text;
    }

    // ---- target builders that also record the manifest entry

    private void file(String engine, Path path, String text, String source, boolean executable) {
        byte[] content = Contents.bytes(text);
        boolean owned = old.get(path).isPresent();
        boolean skillFile =
                path.getParent().getParent().getFileName().toString().equals("skills");
        targets.put(path, new FileTarget(path, content, owned, executable, skillFile));
        next.put(path.toString(), Entry.file(engine, content, source));
    }

    private void block(String engine, Path path, MarkerBlock markers, List<String> body) {
        targets.put(path, new BlockTarget(path, markers, Optional.of(body), false));
        managedBlock(engine, path);
    }

    private void managedBlock(String engine, Path path) {
        boolean created = old.get(path).map(Entry::created).orElseGet(() -> !Files.exists(path));
        next.put(path.toString(), new Entry(engine, "block", Optional.empty(), Optional.empty(), created, Map.of()));
    }

    private void json(Path path, List<Managed> managed) {
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
