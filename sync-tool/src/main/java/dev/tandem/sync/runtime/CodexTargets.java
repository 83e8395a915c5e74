package dev.tandem.sync.runtime;

import dev.tandem.sync.engine.Contents;
import dev.tandem.sync.engine.InputException;
import dev.tandem.sync.runtime.Sources.Source;
import dev.tandem.sync.text.TomlBlock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** The Codex targets: the managed block of {@code config.toml}, skills (commands too) and the AGENTS.md section. */
final class CodexTargets {
    private CodexTargets() {}

    static void add(Settings settings, Sources sources, TargetSet set, LiveMemories live) {
        Path home = settings.codexHome();
        Path config = home.resolve("config.toml");
        // tables an earlier push wrote and the fragment no longer has are taken back too
        List<List<String>> owned =
                set.old.get(config).map(Manifest.Entry::tables).orElse(List.of());
        fragment(settings, sources).ifPresent(f -> {
            set.put(config, new TomlTarget(config, f.withTables(owned), false, false));
            set.managedBlock("codex", config, f.tables());
        });
        Map<String, String> slugs = new LinkedHashMap<>();
        for (Sources.Skill skill : sources.skills()) {
            slugs.put(skill.slug(), "skill");
            skill.files()
                    .forEach((rel, src) -> set.file(
                            "codex",
                            home.resolve("skills").resolve(skill.slug()).resolve(rel),
                            Render.skillFile(rel, src, skill.slug(), "codex"),
                            src.rel(),
                            Render.executable(rel, src)));
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
            set.file(
                    "codex",
                    home.resolve("skills").resolve(command.name()).resolve("SKILL.md"),
                    text,
                    command.rel(),
                    false);
        }
        Optional<List<String>> shared = Optional.empty();
        if (!sources.memories().isEmpty()) {
            List<String> body = new ArrayList<>();
            body.add("<!-- Shared memory from Tandem (" + sources.label()
                    + "shared); edit it there and push, or pull-runtime. -->");
            for (Source memory : sources.memories()) {
                body.add("<!-- from " + sources.label() + memory.rel() + " -->");
                body.addAll(Render.expand(memory.text(), "codex").lines().toList());
            }
            shared = Optional.of(body);
        }
        set.agents("codex", home.resolve("AGENTS.md"), AgentDocs.sections(sources, shared, live, "codex"));
        for (Source profile : profiles(settings.clients())) {
            set.file(
                    "codex",
                    home.resolve(profile.file().getFileName().toString()),
                    Render.expand(profile.text(), "codex"),
                    profile.rel(),
                    false);
        }
    }

    /**
     * Returns the role profiles to deploy: {@code clients/codex/profiles/<name>.config.toml} with at least one line
     * that is not a comment. Codex 0.169+ reads {@code $CODEX_HOME/<name>.config.toml} for {@code codex -p <name>}
     * and layers it over config.toml.
     */
    static List<Source> profiles(Path clients) {
        Path dir = clients.resolve("codex/profiles");
        List<Source> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (!name.endsWith(PROFILE_SUFFIX) || name.startsWith(".")) {
                    continue;
                }
                String role = name.substring(0, name.length() - PROFILE_SUFFIX.length());
                if (!Sources.SLUG.matcher(role).matches()) {
                    throw InputException.of(f, "profile name '" + role + "' must match " + Sources.SLUG.pattern());
                }
                String text = Contents.text(Contents.read(f).orElseThrow(() -> InputException.of(f, "vanished")));
                if (text.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#"))) {
                    continue;
                }
                refuseInProfile(f, TomlBlock.values(f, text));
                out.add(new Source(clients.relativize(f).toString(), f, text));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot list", e);
        }
        return out;
    }

    private static final String PROFILE_SUFFIX = ".config.toml";

    private static void refuseInProfile(Path source, Map<String, Object> values) {
        if (values.containsKey("profile") || values.containsKey("profiles")) {
            throw InputException.of(
                    source,
                    "a profile file is the profile itself: put its keys at the top level (Codex refuses 'profile ='"
                            + " and [profiles.*] in profile files and config.toml alike)");
        }
        if (values.containsKey("mcp_servers")) {
            throw InputException.of(
                    source, "[mcp_servers.*] belong in config-fragment.toml, where tandem keeps the hub entry");
        }
        refuseProviderSecrets(source, values);
    }

    /** Refuses a provider key written into a file: the key belongs in the environment variable named by env_key. */
    private static void refuseProviderSecrets(Path source, Map<String, Object> values) {
        if (!(values.get("model_providers") instanceof Map<?, ?> providers)) {
            return;
        }
        for (var p : providers.entrySet()) {
            if (!(p.getValue() instanceof Map<?, ?> provider)) {
                continue;
            }
            boolean inline = provider.containsKey("experimental_bearer_token")
                    || (provider.get("http_headers") instanceof Map<?, ?> headers
                            && headers.keySet().stream().anyMatch(h -> "authorization".equalsIgnoreCase(h.toString())));
            if (inline) {
                throw InputException.of(
                        source,
                        "[model_providers." + p.getKey() + "] holds its key; name the environment variable that"
                                + " holds it with env_key = \"...\" instead");
            }
        }
    }

    /** Returns the rendered fragment with the auth line of the mode, if the repo has one. */
    static Optional<TomlBlock.Fragment> fragment(Settings settings, Sources sources) {
        return sources.codexFragment().map(src -> rendered(settings, src.file(), src.text()));
    }

    /** Returns the fragment {@code text} of {@code source} as push writes it into the block (auth line included). */
    static TomlBlock.Fragment rendered(Settings settings, Path source, String text) {
        String expanded = Render.expand(text, "codex").replace("{{hub_url}}", settings.hubUrl());
        TomlBlock.Fragment plain = TomlBlock.fragment(source, expanded);
        refuseAuthKeys(source, plain);
        refuseProfileTables(source, plain);
        refuseProviderSecrets(source, plain.values());
        return TomlBlock.fragment(source, withAuthLine(settings, source, expanded));
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
        if (entry.containsKey(PulledSettings.APPROVAL)) {
            throw InputException.of(
                    source,
                    "[mcp_servers.tandem] " + PulledSettings.APPROVAL
                            + " is written by tandem sync from [clients.codex]"
                            + " approve_writes in ~/.tandem/hub.toml; remove it here and set approve_writes instead");
        }
    }

    private static void refuseProfileTables(Path source, TomlBlock.Fragment fragment) {
        if (fragment.values().get("profiles") instanceof Map<?, ?> profiles && !profiles.isEmpty()) {
            String name = profiles.keySet().iterator().next().toString();
            throw InputException.of(
                    source,
                    "[profiles." + name + "]: Codex 0.169+ refuses 'codex -p " + name + "' while config.toml has this"
                            + " table; put the profile's keys into "
                            + source.resolveSibling("profiles").resolve(name + ".config.toml")
                            + " (deployed as $CODEX_HOME/" + name + ".config.toml)");
        }
    }

    private static String withAuthLine(Settings settings, Path source, String text) {
        String auth = settings.auth() == AuthMode.HELPER
                ? "http_headers_helper = " + tomlString(AuthHelper.command(settings, "codex"))
                : "bearer_token_env_var = \"" + AuthHelper.envVar("codex") + "\"";
        if (settings.approvals().approveWrites()) {
            // [clients.codex] approve_writes = true: Codex runs the hub's write tools under approval_policy = "never"
            auth += "\ndefault_tools_approval_mode = \"approve\"";
        }
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
}
