package dev.tandem.sync.runtime;

import dev.tandem.sync.engine.Contents;
import dev.tandem.sync.engine.InputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The canonical content: the person's own source folder ({@code tandem init}, default {@code ~/.tandem/source/}) or,
 * before init, the checkout's shipped {@code clients/}. Paths below are relative to that folder.
 *
 * @param label the folder as messages and deployed comments name it, ending in {@code /} ({@code ~/.tandem/source/})
 * @param codexFragment {@code clients/codex/config-fragment.toml}
 * @param claudeSettings {@code clients/claude/settings-fragment.json}
 * @param skills {@code clients/shared/skills/<slug>/}
 * @param commands {@code clients/shared/commands/<name>.md}
 * @param memories {@code clients/shared/memory/**.md}
 * @param agentsBase {@code clients/shared/AGENTS.md}, the base of the agent documents
 */
public record Sources(
        String label,
        Optional<Source> codexFragment,
        Optional<Source> claudeSettings,
        List<Skill> skills,
        List<Source> commands,
        List<Source> memories,
        Optional<Source> agentsBase) {
    static final Pattern SLUG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

    public Sources {
        skills = List.copyOf(skills);
        commands = List.copyOf(commands);
        memories = List.copyOf(memories);
    }

    /** A source file: its path relative to {@code clients/}, its absolute path, and its text. */
    public record Source(String rel, Path file, String text) {
        /** Returns the file name without {@code .md}. */
        public String name() {
            String n = file.getFileName().toString();
            return n.endsWith(".md") ? n.substring(0, n.length() - 3) : n;
        }
    }

    /** A skill folder: its slug and its files by path relative to the folder. */
    public record Skill(String slug, Map<String, Source> files) {
        public Skill {
            files = Map.copyOf(files);
        }
    }

    /** Loads the folder, naming it by its path in messages. */
    public static Sources load(Path clients) {
        return load(clients, clients + "/");
    }

    /** Loads the folder, naming it {@code label} in messages and deployed comments. */
    public static Sources load(Path clients, String label) {
        return new Sources(
                label,
                source(clients, "codex/config-fragment.toml"),
                source(clients, "claude/settings-fragment.json"),
                skills(clients),
                markdown(clients, "shared/commands", false),
                markdown(clients, "shared/memory", true),
                source(clients, "shared/AGENTS.md"));
    }

    private static Optional<Source> source(Path clients, String rel) {
        Path file = clients.resolve(rel);
        return Contents.read(file).map(b -> new Source(rel, file, Contents.text(b)));
    }

    private static List<Skill> skills(Path clients) {
        Path dir = clients.resolve("shared/skills");
        List<Skill> out = new ArrayList<>();
        for (Path skillDir : list(dir)) {
            if (!Files.isDirectory(skillDir)) {
                continue;
            }
            String slug = slug(skillDir);
            if (!Files.isRegularFile(skillDir.resolve("SKILL.md"))) {
                throw InputException.of(skillDir, "a skill folder needs a SKILL.md");
            }
            Map<String, Source> files = new LinkedHashMap<>();
            for (Path f : walk(skillDir)) {
                String rel = skillDir.relativize(f).toString();
                files.put(rel, new Source(clients.relativize(f).toString(), f, read(f)));
            }
            out.add(new Skill(slug, files));
        }
        return out;
    }

    private static List<Source> markdown(Path clients, String rel, boolean deep) {
        Path dir = clients.resolve(rel);
        List<Source> out = new ArrayList<>();
        for (Path f : deep ? walk(dir) : list(dir)) {
            if (Files.isRegularFile(f) && f.getFileName().toString().endsWith(".md")) {
                if (!deep) {
                    slug(f);
                }
                out.add(new Source(clients.relativize(f).toString(), f, read(f)));
            }
        }
        return out;
    }

    private static String slug(Path p) {
        String name = p.getFileName().toString().replaceFirst("\\.md$", "");
        if (!SLUG.matcher(name).matches()) {
            throw InputException.of(p, "name '" + name + "' must match " + SLUG.pattern());
        }
        return name;
    }

    private static String read(Path f) {
        return Contents.text(Contents.read(f).orElseThrow(() -> InputException.of(f, "vanished while reading")));
    }

    static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot list", e);
        }
    }

    static List<Path> walk(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> dir.relativize(p).toString().chars().noneMatch(c -> c == '\0'))
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot walk", e);
        }
    }
}
