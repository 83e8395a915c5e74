package dev.tandem.hub.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Files the hub never serves, whatever its roots: its own state (token, configuration, data) and the well-known
 * stores of credentials ({@code ~/.ssh}, {@code ~/.aws}, {@code ~/.codex/auth.json}, …).
 *
 * <p>An entry is a path ({@code ~/.ssh}, {@code /etc/ssl/private}): that file or folder and everything below it
 * (a path may end in name globs: {@code ~/.codex/*.toml}); or a name glob without {@code /} ({@code .env}, {@code *.pem}): every file or folder of that name at any depth,
 * and everything below it; or a relative path of name globs ({@code .claude/settings.json}, {@code .vscode/*.json}):
 * every file or folder whose path ends with those names, at any depth, and everything below it; or {@code !} and a
 * name glob: names the name globs must let through ({@code !.env.example}, compared as written but for case, so
 * {@code .env.example.} or {@code .env.example:prod} is not let through); or {@code !} and a path: a folder the
 * path entries above it let through ({@code !~/.codex/worktrees}; the name and relative-path entries still apply in
 * it; never the paths denied always, the hub's own files). Names are compared folded as {@link
 * GitMetadata#fold} folds them (case, HFS+'s ignored code points, NTFS's trailing dots and spaces), so {@code ~/.SSH}
 * and {@code ~/.ssh.} are refused on a file system that folds them, and on one that does not (where they are other
 * folders) too. A path entry is checked as written and as its real path now, so a link to it, or the entry itself
 * being a link (even one whose target does not exist yet), changes nothing. Usable by any capability that reads files ({@link #check}, {@link #denied}); the
 * fs tools keep a second list, {@link #WRITE_DEFAULTS}, of files they may read but never write.
 */
public final class DenyList {
    /** The built-in entries; {@code [fs] deny} replaces them, {@code [fs] deny_extra} adds to them. */
    public static final List<String> DEFAULTS = List.of(
            "~/.tandem",
            "~/.ssh",
            "~/.gnupg",
            "~/.aws",
            "~/.azure",
            "~/.config/gcloud",
            "~/.kube",
            "~/.docker/config.json",
            "~/.netrc",
            "~/.git-credentials",
            "~/.config/git/credentials",
            "~/.npmrc",
            "~/.yarnrc.yml",
            "~/.pypirc",
            "~/.gem/credentials",
            "~/.cargo/credentials",
            "~/.cargo/credentials.toml",
            "~/.gradle/gradle.properties",
            "~/.m2/settings-security.xml",
            "~/.config/gh",
            "~/.config/hub",
            "~/.codex/auth.json",
            "~/.claude/.credentials.json",
            "~/.claude.json",
            "~/.password-store",
            "~/.local/share/keyrings",
            "~/.pgpass",
            "~/.my.cnf",
            "~/.vault-token",
            "~/.terraform.d/credentials.tfrc.json",
            "~/.mozilla",
            "~/.config/google-chrome",
            "~/.config/chromium",
            "~/Library/Keychains",
            ".env",
            ".env.*",
            "!.env.example",
            "!.env.sample",
            "!.env.template",
            "!.env.dist");

    /**
     * The built-in entries of the write deny list: files that run code, or grant an engine permissions or tools, when
     * the person's shell, editor or an engine next starts. The fs tools read them but never write or replace them;
     * {@code [fs] write_deny} replaces these, {@code [fs] write_deny_extra} adds to them.
     */
    public static final List<String> WRITE_DEFAULTS = List.of(
            // Claude Code's project settings (hooks, permissions, MCP servers) and what it loads as skills, commands
            // and agents, whose front matter may add hooks, allow tools, set a permission mode or run !`cmd`
            ".claude/settings.json",
            ".claude/settings.local.json",
            ".claude/hooks",
            ".claude/skills",
            ".claude/commands",
            ".claude/agents",
            ".mcp.json",
            // Codex, in projects and in the home alike: config.toml and profiles (<name>.config.toml), hooks, rules
            // (a prefix_rule that allows runs a command outside the sandbox), agents, skills, prompts, environments
            // (setup scripts) and the instructions it obeys; skills and plugins in the shared .agents folder
            ".codex/*.toml",
            ".codex/hooks.json",
            ".codex/hooks",
            ".codex/rules",
            ".codex/agents",
            ".codex/skills",
            ".codex/prompts",
            ".codex/environments",
            ".codex/AGENTS.md",
            ".codex/AGENTS.override.md",
            ".agents/skills",
            ".agents/plugins",
            // run by direnv on entering the folder, by VS Code on opening it (tasks with runOn: folderOpen) or
            // through settings that name programs (interpreters, formatters, terminal profiles); a dev container's
            // initializeCommand runs on the host
            ".envrc",
            ".vscode/tasks.json",
            ".vscode/settings.json",
            "*.code-workspace",
            ".devcontainer.json",
            ".devcontainer/devcontainer.json",
            ".devcontainer/*/devcontainer.json",
            // hooks git runs from the work tree when core.hooksPath names them (husky, a shared hooks folder)
            ".husky",
            ".githooks",
            // the engines' own folders: settings, hooks, agents, commands, skills, plugins, the Codex program
            // itself (packages/); the Codex app's worktrees are ordinary projects
            "~/.claude",
            "~/.claude.json",
            "~/.config/claude",
            "~/.codex",
            "!~/.codex/worktrees",
            // read by shells at login or start
            "~/.bashrc",
            "~/.bash_profile",
            "~/.bash_login",
            "~/.bash_logout",
            "~/.bash_aliases",
            "~/.bashrc.d",
            "~/.profile",
            "~/.zshrc",
            "~/.zshenv",
            "~/.zprofile",
            "~/.zlogin",
            "~/.zlogout",
            "~/.config/zsh",
            "~/.oh-my-zsh/custom",
            "~/.config/fish",
            "~/.xprofile",
            "~/.xsessionrc",
            "~/.xinitrc",
            "~/.xsession",
            // editors and terminal multiplexers run commands their start files name
            "~/.vimrc",
            "~/.gvimrc",
            "~/.vim",
            "~/.config/nvim",
            "~/.emacs",
            "~/.emacs.el",
            "~/.emacs.d",
            "~/.config/emacs",
            "~/.tmux.conf",
            "~/.config/tmux",
            "~/.config/Code/User",
            "~/Library/Application Support/Code/User",
            // started at login, or on the PATH before the system's programs; Python runs the user site's *.pth
            // files and usercustomize at every start; chezmoi applies its source state (and runs its scripts)
            "~/.config/autostart",
            "~/.config/systemd/user",
            "~/.config/environment.d",
            "~/Library/LaunchAgents",
            "~/.local/bin",
            "~/bin",
            "~/.local/lib",
            "~/.local/share/chezmoi",
            // ssh runs ~/.ssh/rc and the commands ~/.ssh/config names (ProxyCommand, LocalCommand); also on the deny
            // list, which [fs] deny may replace
            "~/.ssh",
            // git runs programs its configuration names (core.pager, core.fsmonitor, core.hooksPath, ! aliases)
            "~/.gitconfig",
            "~/.config/git/config");

    private static final String READ_REASON =
            "holds secrets the hub never serves (its own state or credentials; [fs] deny)";

    /** Why a path on the write deny list is refused. */
    public static final String WRITE_REASON = "runs code or grants permissions when a shell, editor or engine starts;"
            + " the fs tools may read it but never write it ([fs] write_deny)";

    /** A list that denies nothing. */
    public static final DenyList NONE = new DenyList(List.of(), List.of(), List.of(), List.of(), "");

    private static final String GLOB_META = "*?[{\\";

    /** How many symbolic links a path entry's resolution follows, as Linux's {@code MAXSYMLINKS}. */
    private static final int MAX_LINKS = 40;

    /** Path entries as written, absolute and normalised, not yet folded. */
    private final List<PathEntry> paths;

    private final List<Glob> names;
    /** Relative paths of name globs, each matched at any depth. */
    private final List<List<Glob>> suffixes;

    private final List<Glob> allowed;
    private final String reason;

    private DenyList(
            List<PathEntry> paths, List<Glob> names, List<List<Glob>> suffixes, List<Glob> allowed, String reason) {
        this.paths = List.copyOf(paths);
        this.names = List.copyOf(names);
        this.suffixes = List.copyOf(suffixes);
        this.allowed = List.copyOf(allowed);
        this.reason = reason;
    }

    /**
     * A path entry: the file or folder {@code path} and everything below it; with {@code below}, only what lies
     * below it under names those globs match, one glob a level; never what lies in {@code except} (paths relative
     * to {@code path}, so a link inside the entry cannot widen an exception).
     */
    private record PathEntry(Path path, List<Glob> below, List<Path> except, String reason) {
        /** Returns whether {@code folded} (a folded path) is this entry, or lies below it, and not in an exception. */
        boolean covers(Path folded) {
            if (!folded.startsWith(path)) {
                return false;
            }
            for (Path e : except) {
                if (folded.startsWith(path.resolve(e))) {
                    return false;
                }
            }
            int at = path.getNameCount();
            if (folded.getNameCount() < at + below.size()) {
                return false;
            }
            for (int i = 0; i < below.size(); i++) {
                if (!below.get(i).matches(folded.getName(at + i).toString())) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Builds the list.
     *
     * @param home what {@code ~/} means
     * @param always paths denied whatever the entries say (the hub's token, configuration and data)
     * @param entries paths ({@code ~/…} or absolute), name globs and relative paths of name globs, as described
     *     above
     * @throws IllegalArgumentException naming an entry that is none of those
     */
    public static DenyList of(Path home, List<Path> always, List<String> entries) {
        return of(home, always, entries, READ_REASON);
    }

    /**
     * Builds a list whose refusals give {@code reason} ({@link #WRITE_REASON} for the write deny list).
     *
     * @throws IllegalArgumentException naming an entry that is neither a path, a name glob nor a relative path
     */
    public static DenyList of(Path home, List<Path> always, List<String> entries, String reason) {
        List<PathEntry> paths = new ArrayList<>();
        List<Glob> names = new ArrayList<>();
        List<List<Glob>> suffixes = new ArrayList<>();
        List<Glob> allowed = new ArrayList<>();
        List<Path> exceptions = new ArrayList<>();
        for (String e : entries) {
            if (e.startsWith("!~/") || e.startsWith("!/")) {
                PathEntry x = pathEntry(e.startsWith("!~") ? home : Path.of("/"), e.substring(2), reason);
                if (!x.below().isEmpty()) {
                    throw new IllegalArgumentException("'" + e + "' lets a folder through; it cannot hold a glob");
                }
                exceptions.add(fold(x.path()));
            } else if (e.startsWith("~/") || e.equals("~")) {
                paths.add(pathEntry(home, e.substring(1).replaceFirst("^/", ""), reason));
            } else if (e.startsWith("/")) {
                paths.add(pathEntry(Path.of("/"), e.substring(1), reason));
            } else if (e.startsWith("!") && e.length() > 1 && !e.contains("/")) {
                // compared unfolded: folding cuts at ':' and drops trailing dots and ignorable code points, which
                // would let .env.example:prod or .env.example. through as .env.example
                allowed.add(Glob.of(e.substring(1).toLowerCase(Locale.ROOT)));
            } else if (!e.isEmpty() && !e.contains("/")) {
                names.add(glob(e));
            } else {
                suffixes.add(suffix(e));
            }
        }
        // the exceptions a person writes let through only what the configured entries deny, never the hub's own files
        List<PathEntry> all = new ArrayList<>();
        always.forEach(p -> all.add(plain(p, reason)));
        all.addAll(excepting(paths, exceptions));
        return new DenyList(all, names, suffixes, allowed, reason);
    }

    /** Returns {@code paths} with each exception attached, as a relative path, to the plain entries above it. */
    private static List<PathEntry> excepting(List<PathEntry> paths, List<Path> exceptions) {
        List<PathEntry> out = new ArrayList<>();
        for (PathEntry p : paths) {
            Path folded = fold(p.path());
            List<Path> except = exceptions.stream()
                    .filter(x -> p.below().isEmpty() && x.startsWith(folded) && !x.equals(folded))
                    .map(folded::relativize)
                    .toList();
            out.add(new PathEntry(p.path(), p.below(), except, p.reason()));
        }
        return out;
    }

    private static PathEntry plain(Path p, String why) {
        return new PathEntry(p.toAbsolutePath().normalize(), List.of(), List.of(), why);
    }

    /**
     * Returns this list with {@code path} (a file or folder, and everything below it) denied too, giving {@code why}.
     */
    public DenyList with(Path path, String why) {
        return with(List.of(plain(path, why)));
    }

    /**
     * Returns this list with {@code folder} and everything below it denied too, giving {@code why}, except what lies
     * in {@code except} (names or relative paths inside it, such as {@code worktrees}).
     */
    public DenyList withExcept(Path folder, List<String> except, String why) {
        List<Path> rel = except.stream().map(Path::of).map(Path::normalize).toList();
        return with(List.of(new PathEntry(folder.toAbsolutePath().normalize(), List.of(), rel, why)));
    }

    /**
     * Returns this list with each of {@code names} directly in {@code folder} (and everything below it) denied too,
     * giving {@code why}; a name may be a glob ({@code *.toml}).
     */
    public DenyList with(Path folder, List<String> names, String why) {
        Path base = folder.toAbsolutePath().normalize();
        List<PathEntry> more = new ArrayList<>();
        for (String name : names) {
            if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
                throw new IllegalArgumentException("'" + name + "' is not a file name glob");
            }
            more.add(
                    isGlob(name)
                            ? new PathEntry(base, List.of(glob(name)), List.of(), why)
                            : plain(base.resolve(name), why));
        }
        return with(more);
    }

    private DenyList with(List<PathEntry> more) {
        List<PathEntry> all = new ArrayList<>(paths);
        all.addAll(more);
        return new DenyList(all, names, suffixes, allowed, reason);
    }

    /**
     * Returns the entry {@code base}/{@code rest}: a plain path, or, from the first name of {@code rest} that is a
     * glob on, a path and the name globs below it ({@code ~/.codex/*.toml}).
     */
    private static PathEntry pathEntry(Path base, String rest, String reason) {
        Path p = base;
        List<Glob> below = new ArrayList<>();
        for (String name : rest.split("/", -1)) {
            if (name.isEmpty()) {
                continue;
            }
            if (below.isEmpty() && !isGlob(name)) {
                p = p.resolve(name);
            } else {
                below.add(glob(name));
            }
        }
        return new PathEntry(p.normalize(), List.copyOf(below), List.of(), reason);
    }

    private static boolean isGlob(String name) {
        return name.chars().anyMatch(c -> GLOB_META.indexOf(c) >= 0);
    }

    private static Glob glob(String name) {
        return Glob.of(GitMetadata.fold(name));
    }

    /** Parses a relative path of name globs ({@code .claude/settings.json}), each name neither empty, . nor ... */
    private static List<Glob> suffix(String e) {
        List<Glob> globs = new ArrayList<>();
        for (String name : e.split("/", -1)) {
            if (name.isEmpty() || name.equals(".") || name.equals("..") || e.startsWith("~") || e.startsWith("!")) {
                throw new IllegalArgumentException("'" + e + "' is neither a path (~/… or /…), a file name glob nor"
                        + " a relative path of names (.claude/settings.json)");
            }
            globs.add(glob(name));
        }
        return List.copyOf(globs);
    }

    /**
     * Returns the list as it applies now: each path entry also as its real path (a link followed, or a folder that
     * was created or replaced since start). Cheap enough to take once per tool call.
     */
    public Resolved resolve() {
        Set<PathEntry> all = new LinkedHashSet<>();
        for (PathEntry e : paths) {
            List<Path> except = e.except().stream().map(DenyList::fold).toList();
            all.add(new PathEntry(fold(e.path()), e.below(), except, e.reason()));
            all.add(new PathEntry(fold(realPath(e.path())), e.below(), except, e.reason()));
        }
        return new Resolved(List.copyOf(all));
    }

    /** Returns whether {@code path} (absolute, normalised) is denied; see {@link Resolved#denied}. */
    public boolean denied(Path path) {
        return resolve().denied(path);
    }

    /**
     * Refuses {@code path} if it is denied.
     *
     * @param input the path as the caller gave it, for the message
     * @throws PathRefusedException naming {@code input}
     */
    public void check(String input, Path path) {
        resolve().check(input, path);
    }

    /**
     * Returns the path entries that are {@code folder} or lie inside it, as written (an entry whose real path lies
     * there counts too): for a caller that lets a program write anywhere in a whole folder.
     */
    public List<String> pathsWithin(Path folder) {
        Path in = fold(folder.toAbsolutePath().normalize());
        List<String> out = new ArrayList<>();
        for (PathEntry e : paths) {
            if (fold(e.path()).startsWith(in) || fold(realPath(e.path())).startsWith(in)) {
                out.add(e.path().toString());
            }
        }
        return out;
    }

    /** The deny list with its paths resolved at one moment. */
    public final class Resolved {
        /** The path entries, as written and as real paths, folded. */
        private final List<PathEntry> folded;

        private Resolved(List<PathEntry> folded) {
            this.folded = folded;
        }

        /** Returns whether {@code path} (absolute, normalised) or a folder above it is denied. */
        public boolean denied(Path path) {
            return why(path).isPresent();
        }

        /** Returns why {@code path} (absolute, normalised) is denied, if it or a folder above it is. */
        public Optional<String> why(Path path) {
            Path f = fold(path);
            Optional<String> byPath = byPath(f);
            if (byPath.isPresent() || (names.isEmpty() && suffixes.isEmpty())) {
                return byPath;
            }
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < f.getNameCount(); i++) {
                String name = f.getName(i).toString();
                if (deniedName(name, path.getName(i).toString())) {
                    return Optional.of(reason);
                }
                parts.add(name);
            }
            for (int end = 1; end <= parts.size(); end++) {
                if (deniedSuffix(parts, end)) {
                    return Optional.of(reason);
                }
            }
            return Optional.empty();
        }

        /** Returns whether the last name of {@code path} alone is denied (for walks that checked the folder). */
        public boolean deniedEntry(Path path) {
            Path f = fold(path);
            if (byPath(f).isPresent()) {
                return true;
            }
            Path name = f.getFileName();
            if (name == null) {
                return false;
            }
            if (deniedName(name.toString(), path.getFileName().toString())) {
                return true;
            }
            if (suffixes.isEmpty()) {
                return false;
            }
            List<String> parts = new ArrayList<>();
            f.forEach(n -> parts.add(n.toString()));
            return deniedSuffix(parts, parts.size());
        }

        /**
         * Returns whether {@code path} ends in a proper beginning of a relative-path entry ({@code .claude} for
         * {@code .claude/settings.json}): a link or folder there decides where the entry's file is found.
         */
        public boolean leadsToEntry(Path path) {
            List<String> parts = new ArrayList<>();
            fold(path).forEach(n -> parts.add(n.toString()));
            for (List<Glob> suffix : suffixes) {
                for (int k = 1; k < suffix.size() && k <= parts.size(); k++) {
                    boolean all = true;
                    for (int i = 0; i < k && all; i++) {
                        all = suffix.get(i).matches(parts.get(parts.size() - k + i));
                    }
                    if (all) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** Refuses {@code path} if it is denied, naming {@code input} and why. */
        public void check(String input, Path path) {
            Optional<String> why = why(path);
            if (why.isPresent()) {
                throw new PathRefusedException(input, why.get());
            }
        }

        private Optional<String> byPath(Path folded) {
            for (PathEntry e : this.folded) {
                if (e.covers(folded)) {
                    return Optional.of(e.reason());
                }
            }
            return Optional.empty();
        }
    }

    /** Returns whether a relative-path entry matches the names of {@code foldedNames} that end before {@code end}. */
    private boolean deniedSuffix(List<String> foldedNames, int end) {
        for (List<Glob> suffix : suffixes) {
            int start = end - suffix.size();
            if (start < 0) {
                continue;
            }
            boolean all = true;
            for (int i = 0; i < suffix.size() && all; i++) {
                all = suffix.get(i).matches(foldedNames.get(start + i));
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    /** Returns whether a name glob denies {@code foldedName} and no allow name lets {@code name} (as written) through. */
    private boolean deniedName(String foldedName, String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (Glob g : names) {
            if (g.matches(foldedName)) {
                return allowed.stream().noneMatch(a -> a.matches(lower));
            }
        }
        return false;
    }

    /**
     * Returns the real path of {@code p}, or of its deepest existing ancestor with the rest appended; a symbolic link
     * whose target does not exist ({@code ~/.bashrc -> dotfiles/bashrc}, not yet made) is followed to that target,
     * so creating the target counts as writing the entry.
     */
    private static Path realPath(Path p) {
        return realPath(p, 0);
    }

    private static Path realPath(Path p, int links) {
        Path missing = Path.of("");
        Path at = p;
        while (at != null) {
            try {
                return at.toRealPath().resolve(missing);
            } catch (NoSuchFileException e) {
                Optional<Path> target = links < MAX_LINKS ? danglingTarget(at, links) : Optional.empty();
                if (target.isPresent()) {
                    return target.get().resolve(missing);
                }
                Path name = at.getFileName();
                missing = name == null ? missing : name.resolve(missing);
                at = at.getParent();
            } catch (IOException e) {
                return p;
            }
        }
        return p;
    }

    /** Returns where the dangling symbolic link {@code link} leads, as a real path; empty if it is not a link. */
    private static Optional<Path> danglingTarget(Path link, int links) {
        Path parent = link.getParent();
        if (parent == null || !Files.isSymbolicLink(link)) {
            return Optional.empty();
        }
        try {
            Path target = Files.readSymbolicLink(link);
            return Optional.of(
                    realPath(realPath(parent, links + 1).resolve(target).normalize(), links + 1));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /**
     * Returns {@code p} with each name folded as {@link GitMetadata#fold} does (case, HFS+'s ignored code points,
     * NTFS's trailing dots and spaces), so a name any file system would take for an entry's is taken for it here.
     */
    private static Path fold(Path p) {
        Path out = p.getRoot() == null ? Path.of("") : p.getRoot();
        for (Path name : p) {
            String n = name.toString();
            String f = n.equals(".") || n.equals("..") ? n : GitMetadata.fold(n);
            out = out.resolve(f.isEmpty() ? n.toLowerCase(Locale.ROOT) : f);
        }
        return out;
    }
}
