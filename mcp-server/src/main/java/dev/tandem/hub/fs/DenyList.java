package dev.tandem.hub.fs;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Files the hub never serves, whatever its roots: its own state (token, configuration, data) and the well-known
 * stores of credentials ({@code ~/.ssh}, {@code ~/.aws}, {@code ~/.codex/auth.json}, …).
 *
 * <p>An entry is a path ({@code ~/.ssh}, {@code /etc/ssl/private}): that file or folder and everything below it;
 * or a name glob without {@code /} ({@code .env}, {@code *.pem}): every file or folder of that name at any depth,
 * and everything below it; or a relative path of name globs ({@code .claude/settings.json}, {@code .vscode/*.json}):
 * every file or folder whose path ends with those names, at any depth, and everything below it; or {@code !} and a
 * name glob: names the name globs must let through ({@code !.env.example}). Names and paths are compared ignoring
 * case, so {@code ~/.SSH} is refused on a file system that folds case, and on one that does not (where it is another
 * folder) too. A path entry is checked as written and as its real path now, so a link to it, or the entry itself
 * being a link, changes nothing. Usable by any capability that reads files ({@link #check}, {@link #denied}); the
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
            // the engines' project settings: hooks, permissions, MCP servers, model providers
            ".claude/settings.json",
            ".claude/settings.local.json",
            ".claude/hooks",
            ".mcp.json",
            ".codex/config.toml",
            ".codex/hooks.json",
            // run by direnv on entering the folder, by VS Code on opening it (tasks with runOn: folderOpen) or
            // through settings that name programs (interpreters, formatters, terminal profiles)
            ".envrc",
            ".vscode/tasks.json",
            ".vscode/settings.json",
            // the engines' own folders: settings, hooks, agents, commands, skills
            "~/.claude",
            "~/.codex",
            "~/.config/claude",
            // read by shells at login or start
            "~/.bashrc",
            "~/.bash_profile",
            "~/.bash_login",
            "~/.bash_logout",
            "~/.profile",
            "~/.zshrc",
            "~/.zshenv",
            "~/.zprofile",
            "~/.zlogin",
            "~/.zlogout",
            "~/.config/fish",
            "~/.xprofile",
            "~/.xsessionrc",
            // started at login, or on the PATH before the system's programs
            "~/.config/autostart",
            "~/.config/systemd/user",
            "~/.config/environment.d",
            "~/Library/LaunchAgents",
            "~/.local/bin",
            "~/bin",
            // git runs programs its configuration names (core.pager, core.fsmonitor, core.hooksPath, ! aliases)
            "~/.gitconfig",
            "~/.config/git/config");

    private static final String READ_REASON =
            "holds secrets the hub never serves (its own state or credentials; [fs] deny)";

    /** Why a path on the write deny list is refused. */
    public static final String WRITE_REASON = "runs code or grants permissions when a shell, editor or engine starts;"
            + " the fs tools may read it but never write it ([fs] write_deny)";

    /** A list that denies nothing. */
    public static final DenyList NONE = new DenyList(List.of(), List.of(), List.of(), List.of(), List.of(), "");

    /** Paths as written, absolute and normalised, lower case. */
    private final List<Path> paths;

    private final List<String> shown;
    private final List<Glob> names;
    /** Relative paths of name globs, each matched at any depth. */
    private final List<List<Glob>> suffixes;

    private final List<Glob> allowed;
    private final String reason;

    private DenyList(
            List<Path> paths,
            List<String> shown,
            List<Glob> names,
            List<List<Glob>> suffixes,
            List<Glob> allowed,
            String reason) {
        this.paths = List.copyOf(paths);
        this.shown = List.copyOf(shown);
        this.names = List.copyOf(names);
        this.suffixes = List.copyOf(suffixes);
        this.allowed = List.copyOf(allowed);
        this.reason = reason;
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
        Set<Path> paths = new LinkedHashSet<>();
        always.forEach(p -> paths.add(p.toAbsolutePath().normalize()));
        List<Glob> names = new ArrayList<>();
        List<List<Glob>> suffixes = new ArrayList<>();
        List<Glob> allowed = new ArrayList<>();
        for (String e : entries) {
            if (e.startsWith("~/") || e.equals("~")) {
                paths.add(home.resolve(e.substring(1).replaceFirst("^/", "")).normalize());
            } else if (e.startsWith("/")) {
                paths.add(Path.of(e).normalize());
            } else if (e.startsWith("!") && e.length() > 1 && !e.contains("/")) {
                allowed.add(Glob.of(e.substring(1).toLowerCase(Locale.ROOT)));
            } else if (!e.isEmpty() && !e.contains("/")) {
                names.add(Glob.of(e.toLowerCase(Locale.ROOT)));
            } else {
                suffixes.add(suffix(e));
            }
        }
        List<Path> lower = paths.stream().map(DenyList::lower).toList();
        List<String> shown = paths.stream().map(Path::toString).toList();
        return new DenyList(lower, shown, names, suffixes, allowed, reason);
    }

    /** Parses a relative path of name globs ({@code .claude/settings.json}), each name neither empty, . nor ... */
    private static List<Glob> suffix(String e) {
        List<Glob> globs = new ArrayList<>();
        for (String name : e.split("/", -1)) {
            if (name.isEmpty() || name.equals(".") || name.equals("..") || e.startsWith("~") || e.startsWith("!")) {
                throw new IllegalArgumentException("'" + e + "' is neither a path (~/… or /…), a file name glob nor"
                        + " a relative path of names (.claude/settings.json)");
            }
            globs.add(Glob.of(name.toLowerCase(Locale.ROOT)));
        }
        return List.copyOf(globs);
    }

    /**
     * Returns the list as it applies now: each path entry also as its real path (a link followed, or a folder that
     * was created or replaced since start). Cheap enough to take once per tool call.
     */
    public Resolved resolve() {
        List<Path> all = new ArrayList<>(paths);
        for (int i = 0; i < paths.size(); i++) {
            Path real = realPath(Path.of(shown.get(i)));
            all.add(lower(real));
        }
        return new Resolved(List.copyOf(new LinkedHashSet<>(all)));
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
        Path in = lower(folder.toAbsolutePath().normalize());
        List<String> out = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            if (paths.get(i).startsWith(in)
                    || lower(realPath(Path.of(shown.get(i)))).startsWith(in)) {
                out.add(shown.get(i));
            }
        }
        return out;
    }

    /** The deny list with its paths resolved at one moment. */
    public final class Resolved {
        private final List<Path> lowerPaths;

        private Resolved(List<Path> lowerPaths) {
            this.lowerPaths = lowerPaths;
        }

        /** Returns whether {@code path} (absolute, normalised) or a folder above it is denied. */
        public boolean denied(Path path) {
            Path lower = lower(path);
            for (Path p : lowerPaths) {
                if (lower.startsWith(p)) {
                    return true;
                }
            }
            if (names.isEmpty() && suffixes.isEmpty()) {
                return false;
            }
            List<String> parts = new ArrayList<>();
            for (Path name : lower) {
                if (deniedName(name.toString())) {
                    return true;
                }
                parts.add(name.toString());
            }
            for (int end = 1; end <= parts.size(); end++) {
                if (deniedSuffix(parts, end)) {
                    return true;
                }
            }
            return false;
        }

        /** Returns whether the last name of {@code path} alone is denied (for walks that checked the folder). */
        public boolean deniedEntry(Path path) {
            Path lower = lower(path);
            for (Path p : lowerPaths) {
                if (lower.startsWith(p)) {
                    return true;
                }
            }
            Path name = lower.getFileName();
            if (name == null) {
                return false;
            }
            if (deniedName(name.toString())) {
                return true;
            }
            if (suffixes.isEmpty()) {
                return false;
            }
            List<String> parts = new ArrayList<>();
            lower.forEach(n -> parts.add(n.toString()));
            return deniedSuffix(parts, parts.size());
        }

        /** Refuses {@code path} if it is denied, naming {@code input}. */
        public void check(String input, Path path) {
            if (denied(path)) {
                throw new PathRefusedException(input, reason);
            }
        }
    }

    /** Returns whether a relative-path entry matches the names of {@code lowerNames} that end before {@code end}. */
    private boolean deniedSuffix(List<String> lowerNames, int end) {
        for (List<Glob> suffix : suffixes) {
            int start = end - suffix.size();
            if (start < 0) {
                continue;
            }
            boolean all = true;
            for (int i = 0; i < suffix.size() && all; i++) {
                all = suffix.get(i).matches(lowerNames.get(start + i));
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    private boolean deniedName(String lowerName) {
        for (Glob g : names) {
            if (g.matches(lowerName)) {
                return allowed.stream().noneMatch(a -> a.matches(lowerName));
            }
        }
        return false;
    }

    /** Returns the real path of {@code p}, or of its deepest existing ancestor with the rest appended. */
    private static Path realPath(Path p) {
        Path missing = Path.of("");
        Path at = p;
        while (at != null) {
            try {
                return at.toRealPath().resolve(missing);
            } catch (NoSuchFileException e) {
                Path name = at.getFileName();
                missing = name == null ? missing : name.resolve(missing);
                at = at.getParent();
            } catch (IOException e) {
                return p;
            }
        }
        return p;
    }

    private static Path lower(Path p) {
        return Path.of(p.toString().toLowerCase(Locale.ROOT));
    }
}
