package dev.tandem.sync.runtime;

import dev.tandem.core.hash.Sha256;
import dev.tandem.sync.engine.Contents;
import dev.tandem.sync.engine.DeployedFile;
import dev.tandem.sync.engine.InputException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Skills and commands the person made in the clients' own folders ({@code ~/.claude/skills}, {@code
 * ~/.claude/commands}, {@code $CODEX_HOME/skills}) that are not Tandem's: what {@code pull-runtime} lists and
 * {@code pull-runtime --new} adopts into {@code clients/shared/}. Codex's own {@code skills/.system} and hidden
 * folders are never looked at.
 *
 * @param files each file to adopt, with the source it becomes
 * @param notes one line per skill or command found (or why it cannot be adopted)
 */
record NewContent(List<Found> files, List<String> notes) {
    NewContent {
        files = List.copyOf(files);
        notes = List.copyOf(notes);
    }

    /**
     * One file to adopt: where it is, which engine's folder holds it, its source path under clients/, what the
     * listing found it to run and grant ({@link #checked}) from the bytes it checked, the start of the sha256 the
     * person named it with ({@code --accept FILE@SHA}) if it needed that, and the folder the listing found it in.
     */
    record Found(
            Path deployed,
            String engine,
            String source,
            String verdict,
            Optional<String> named,
            Optional<Object> folder) {
        /**
         * Reads the file strictly: a link or a second hard link put there after {@link #find} is refused, and so are
         * bytes read from another folder than the listed one (the skill's folder swapped for a link elsewhere), bytes
         * other than the ones the person named, and bytes that run or grant other things than the ones the listing
         * checked (an agent swapping the file's content in a loop).
         */
        byte[] bytes() {
            DeployedFile.Read read = DeployedFile.read(deployed)
                    .orElseThrow(() -> InputException.of(deployed, "vanished while reading"));
            if (!read.folder().equals(folder)) {
                throw InputException.of(
                        deployed,
                        "its folder was replaced while tandem read it (a folder on its path now leads elsewhere than"
                                + " the one listed): run the command again; nothing was written");
            }
            if (read.links() > 1) {
                throw InputException.of(
                        deployed,
                        "has " + read.links() + " hard links, so it shares its bytes with another file, and --new"
                                + " copies a skill's own files only: put a copy of the file there instead");
            }
            if (!checked(deployed, read.bytes()).equals(verdict)) {
                throw InputException.of(
                        deployed,
                        "changed while tandem read it (what it runs or grants is not what was checked): run the"
                                + " command again; nothing was written");
            }
            String sha = Sha256.hex(read.bytes());
            if (named.isPresent() && !sha.startsWith(named.get())) {
                throw InputException.of(
                        deployed,
                        "changed since you named it with --accept " + deployed + "@" + named.get() + " (its bytes now"
                                + " have sha256 " + sha.substring(0, PullModel.SHA_SHOWN) + "): read it again, then"
                                + " pass --accept with the sha256 pull-runtime prints; nothing was written");
            }
            return read.bytes();
        }
    }

    /**
     * What a file found runs and grants once pushed: for Markdown, each span or fenced block Claude Code runs and
     * the front-matter keys that grant tools or run hooks; compared when the bytes are taken.
     */
    static String checked(Path file, byte[] bytes) {
        if (!file.getFileName().toString().endsWith(".md")) {
            return "";
        }
        String text = Contents.text(bytes);
        return String.join("\u0000", ShellLines.units(text)) + "\u0001"
                + String.join("\u0000", Render.grantingKeys(text));
    }

    /**
     * Finds the new skills and commands.
     *
     * @param accepted the start of the sha256 the person named a file with that runs as it is once pushed (a skill's
     *     file other than SKILL.md, or Markdown holding a line Claude Code runs) to be adopted, empty if they did not
     *     name it; a skill or command holding one not named is not adoptable
     */
    static NewContent find(
            Settings settings, Manifest manifest, Sources sources, Function<Path, Optional<String>> accepted) {
        Set<String> taken = new HashSet<>();
        sources.skills().forEach(s -> taken.add(s.slug()));
        sources.commands().forEach(c -> taken.add(c.name()));
        List<Found> files = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Set<String> adopted = new HashSet<>();
        if (settings.engine().claude()) {
            skills(
                    settings.claudeDir().resolve("skills"),
                    "claude",
                    manifest,
                    taken,
                    adopted,
                    files,
                    notes,
                    sources.label(),
                    accepted);
            for (Path command : Sources.list(settings.claudeDir().resolve("commands"))) {
                String name = command.getFileName().toString();
                if (!name.endsWith(".md")
                        || !Files.isRegularFile(command, LinkOption.NOFOLLOW_LINKS)
                        || manifest.get(command).isPresent()) {
                    continue;
                }
                String slug = name.substring(0, name.length() - 3);
                if (Links.count(command) > 1) {
                    notes.add("not adoptable: " + command + " (it has " + Links.count(command) + " hard links, so it"
                            + " shares its bytes with another file, and --new copies a command's own file only: put a"
                            + " copy of the file there instead)");
                    continue;
                }
                // every check reads these bytes, and the bytes adopted must run and grant what they do
                Optional<Object> folder = DeployedFile.folderOf(command);
                byte[] bytes = Contents.read(command).orElse(new byte[0]);
                // Claude Code runs a line !`command` of it when it is invoked: adopted only when the person names it
                Optional<String> named = runsCommands(command, bytes) ? accepted.apply(command) : Optional.empty();
                if (runsCommands(command, bytes) && named.isEmpty()) {
                    notes.add("not adoptable: " + command + " (it holds a line Claude Code runs as a shell command"
                            + " when it is invoked, in both clients once pushed: read it, then adopt it with 'tandem"
                            + " sync pull-runtime --new --accept " + PullModel.named(command, bytes) + "')");
                    continue;
                }
                if (adoptable(command, slug, taken, notes, sources.label())) {
                    adopted.add(slug);
                    notes.add("new command: " + command + " -> " + sources.label() + "shared/commands/" + name
                            + grants(bytes));
                    files.add(new Found(
                            command, "claude", "shared/commands/" + name, checked(command, bytes), named, folder));
                }
            }
        }
        if (settings.engine().codex()) {
            skills(
                    settings.codexHome().resolve("skills"),
                    "codex",
                    manifest,
                    taken,
                    adopted,
                    files,
                    notes,
                    sources.label(),
                    accepted);
        }
        return new NewContent(files, notes);
    }

    private static void skills(
            Path dir,
            String engine,
            Manifest manifest,
            Set<String> taken,
            Set<String> adopted,
            List<Found> files,
            List<String> notes,
            String label,
            Function<Path, Optional<String>> accepted) {
        for (Path skill : Sources.list(dir)) {
            String slug = skill.getFileName().toString();
            if (!Files.isDirectory(skill, LinkOption.NOFOLLOW_LINKS)
                    || !Files.isRegularFile(skill.resolve("SKILL.md"), LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            List<Path> inside = Sources.walk(skill);
            if (inside.stream().anyMatch(f -> manifest.get(f).isPresent())) {
                continue;
            }
            List<Path> links = Links.below(skill);
            if (!links.isEmpty()) {
                notes.add("not adoptable: " + skill + " (" + links.getFirst() + " is a symlink to "
                        + Links.target(links.getFirst()) + ", and --new copies regular files only: put the file"
                        + " itself there, or remove the link)");
                continue;
            }
            Optional<Path> shared =
                    inside.stream().filter(f -> Links.count(f) > 1).findFirst();
            if (shared.isPresent()) {
                notes.add("not adoptable: " + skill + " (" + shared.get() + " has " + Links.count(shared.get())
                        + " hard links, so it shares its bytes with another file, and --new copies a skill's own"
                        + " files only: put a copy of the file there instead)");
                continue;
            }
            // a script runs as it is in both clients once pushed, and any file of a skill other than SKILL.md can be
            // one SKILL.md has the model run, as can a line !`command` of SKILL.md: adopted only when the person names
            // each one
            Path main = skill.resolve("SKILL.md");
            // every check reads these bytes, and the bytes adopted must run and grant what they do
            Map<Path, Optional<Object>> folders = new HashMap<>();
            Map<Path, byte[]> read = new HashMap<>();
            inside.forEach(f -> {
                folders.put(f, DeployedFile.folderOf(f));
                read.put(f, Contents.read(f).orElse(new byte[0]));
            });
            Map<Path, String> named = new HashMap<>();
            List<Path> scripts = new ArrayList<>();
            for (Path f : inside) {
                if (!f.equals(main) || runsCommands(f, read.get(f))) {
                    accepted.apply(f).ifPresentOrElse(sha -> named.put(f, sha), () -> scripts.add(f));
                }
            }
            if (!scripts.isEmpty()) {
                notes.add("not adoptable: " + skill + " ("
                        + String.join(", ", scripts.stream().map(Path::toString).toList())
                        + (scripts.size() == 1 ? " runs" : " run") + " as "
                        + (scripts.size() == 1 ? "it is" : "they are")
                        + " in both clients once pushed (a skill's file other than SKILL.md, such as a script, or a"
                        + " SKILL.md holding a line Claude Code runs as a shell command): read "
                        + (scripts.size() == 1 ? "it" : "them") + ", then adopt the skill with 'tandem sync"
                        + " pull-runtime --new"
                        + scripts.stream()
                                .map(f -> " --accept " + PullModel.named(f, read.get(f)))
                                .reduce("", String::concat)
                        + "')");
                continue;
            }
            boolean twice = adopted.contains(slug);
            if (!twice && !adoptable(skill, slug, taken, notes, label)) {
                continue;
            }
            adopted.add(slug);
            notes.add("new skill: " + skill + " -> " + label + "shared/skills/" + slug + grants(read.get(main)));
            for (Path f : inside) {
                String rel = skill.relativize(f).toString();
                files.add(new Found(
                        f,
                        engine,
                        "shared/skills/" + slug + "/" + rel,
                        checked(f, read.get(f)),
                        Optional.ofNullable(named.get(f)),
                        folders.get(f)));
            }
        }
    }

    /** Returns whether Markdown file {@code md}, holding {@code bytes}, holds a line Claude Code runs. */
    private static boolean runsCommands(Path md, byte[] bytes) {
        return md.getFileName().toString().endsWith(".md") && ShellLines.runs(Contents.text(bytes));
    }

    /**
     * Names the keys of a skill's or command's front matter beyond its name and description, which grant tools or
     * run hooks in every client and home it is pushed to, so the person sees them before adopting it.
     */
    private static String grants(byte[] md) {
        List<String> keys = Render.grantingKeys(Contents.text(md));
        return keys.isEmpty()
                ? ""
                : " (its front matter sets " + String.join(", ", keys)
                        + ": read it before --new, which pushes it to both clients)";
    }

    private static boolean adoptable(Path found, String slug, Set<String> taken, List<String> notes, String label) {
        if (!Sources.SLUG.matcher(slug).matches()) {
            notes.add("not adoptable: " + found + " (the name must match " + Sources.SLUG.pattern() + ")");
            return false;
        }
        if (taken.contains(slug)) {
            notes.add("not adoptable: " + found + " (" + label + "shared/ has a skill or command '" + slug
                    + "' already; rename one of them)");
            return false;
        }
        return true;
    }
}
