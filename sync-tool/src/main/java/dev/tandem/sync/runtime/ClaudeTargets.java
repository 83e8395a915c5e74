package dev.tandem.sync.runtime;

import dev.tandem.sync.engine.InputException;
import dev.tandem.sync.runtime.JsonTarget.Managed;
import dev.tandem.sync.runtime.Sources.Source;
import dev.tandem.sync.text.JsonText;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The Claude Code targets: {@code mcpServers.tandem}, settings keys, skills, commands and the memory imports. */
final class ClaudeTargets {
    private ClaudeTargets() {}

    static void add(Settings settings, Sources sources, TargetSet set, LiveMemories live) {
        Path dir = settings.claudeDir();
        ObjectNode server = JsonText.object();
        server.put("type", "http");
        server.put("url", settings.hubUrl());
        if (settings.auth() == AuthMode.HELPER) {
            server.put("headersHelper", AuthHelper.command(settings, "claude"));
        } else {
            server.putObject("headers").put("Authorization", "Bearer ${" + AuthHelper.envVar("claude") + "}");
        }
        set.json(settings.claudeJson(), List.of(new Managed(List.of("mcpServers", "tandem"), server, false)));
        ObjectNode fragment = sources.claudeSettings()
                .map(src -> {
                    ObjectNode f = JsonText.parseObject(
                            src.file(), Render.expand(src.text(), "claude").replace("{{hub_url}}", settings.hubUrl()));
                    refuseSecretEnv(src.file(), f);
                    return f;
                })
                .orElseGet(JsonText::object);
        allow(fragment, settings.approvals());
        // a fleet hub's private CA: Claude Code (Node) trusts it for the hub's https:// when settings.json's env names
        // it (verified with the real 2.1.329: without it the TLS handshake fails and the hub sees no request)
        settings.fleet().flatMap(FleetWiring::caFile).ifPresent(ca -> {
            ObjectNode env = fragment.get("env") instanceof ObjectNode e ? e : fragment.putObject("env");
            env.put("NODE_EXTRA_CA_CERTS", ca.toString());
        });
        List<Managed> managed = new ArrayList<>();
        leaves(fragment, List.of(), managed);
        if (!managed.isEmpty()) {
            set.json(dir.resolve("settings.json"), managed);
        }
        for (Sources.Skill skill : sources.skills()) {
            skill.files()
                    .forEach((rel, src) -> set.file(
                            "claude",
                            dir.resolve("skills").resolve(skill.slug()).resolve(rel),
                            Render.skillFile(rel, src, skill.slug(), "claude"),
                            src.rel(),
                            Render.executable(rel, src)));
        }
        for (Source command : sources.commands()) {
            String text = Render.expand(Render.withFooter(command.text(), "command", command.name()), "claude");
            set.file("claude", dir.resolve("commands").resolve(command.name() + ".md"), text, command.rel(), false);
        }
        Optional<List<String>> shared = Optional.empty();
        if (!sources.memories().isEmpty()) {
            List<String> body = new ArrayList<>();
            body.add("<!-- Shared memory from Tandem (" + sources.label()
                    + "shared), imported below; edit it there and push. -->");
            for (Source memory : sources.memories()) {
                Path file = memoryFile(settings, memory);
                strayImport(memory.text())
                        .ifPresent(word -> set.warnings.add(sources.label() + memory.rel() + ": '" + word
                                + "' will be read by Claude Code as an @import; put it in backticks"));
                set.file("claude", file, Render.expand(memory.text(), "claude"), memory.rel(), false);
                body.add("@" + importPath(settings, file));
            }
            shared = Optional.of(body);
        }
        set.agents("claude", dir.resolve("CLAUDE.md"), AgentDocs.sections(sources, shared, live, "claude"));
    }

    /**
     * Adds the approval rules ({@code [clients.claude] allow}) to {@code permissions.allow}, after any rule the
     * fragment lists itself (such as {@code log_command}, which skills call and which writes only telemetry).
     */
    private static void allow(ObjectNode fragment, Approvals approvals) {
        List<String> rules = approvals.claudeRules();
        if (rules.isEmpty()) {
            return;
        }
        ObjectNode permissions =
                fragment.get("permissions") instanceof ObjectNode p ? p : fragment.putObject("permissions");
        tools.jackson.databind.node.ArrayNode allow =
                permissions.get("allow") instanceof tools.jackson.databind.node.ArrayNode a
                        ? a
                        : permissions.putArray("allow");
        java.util.Set<String> present = new java.util.HashSet<>();
        allow.forEach(n -> present.add(n.asString()));
        rules.stream().filter(present::add).forEach(allow::add);
    }

    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(_KEY|_TOKEN|_SECRET|_PASSWORD|APIKEY)");

    /**
     * Refuses {@code env} entries named like a secret ({@code ANTHROPIC_AUTH_TOKEN}, {@code OPENROUTER_API_KEY}):
     * settings.json would hold the key in plain text; it belongs in the shell's environment.
     */
    private static void refuseSecretEnv(Path source, ObjectNode fragment) {
        if (fragment.get("env") instanceof ObjectNode env) {
            for (String name : env.propertyNames()) {
                if (SECRET_NAME.matcher(name).matches()) {
                    throw InputException.of(
                            source,
                            "env." + name + " would write a secret into settings.json; export " + name
                                    + " in your shell (Claude Code passes its environment on) and remove it here");
                }
            }
        }
    }

    private static final Pattern STRAY_IMPORT = Pattern.compile("(?:^|\\s)(@[^\\s`]+)");

    /** Returns the first {@code @word} outside backticks and code fences: Claude Code would inline it as a file. */
    static Optional<String> strayImport(String text) {
        boolean fence = false;
        for (String line : text.split("\n", -1)) {
            if (line.strip().startsWith("```")) {
                fence = !fence;
                continue;
            }
            String[] parts = line.split("`", -1);
            for (int i = 0; !fence && i < parts.length; i += 2) {
                Matcher m = STRAY_IMPORT.matcher(parts[i]);
                if (m.find()) {
                    return Optional.of(m.group(1));
                }
            }
        }
        return Optional.empty();
    }

    /** Returns where a memory source goes for Claude: {@code <claude dir>/tandem/memory/<path below memory/>}. */
    static Path memoryFile(Settings settings, Source memory) {
        String rel = memory.rel().startsWith("shared/memory/")
                ? memory.rel().substring("shared/memory/".length())
                : memory.file().getFileName().toString();
        return settings.claudeDir().resolve("tandem").resolve("memory").resolve(rel);
    }

    private static String importPath(Settings settings, Path file) {
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
}
