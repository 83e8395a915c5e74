package dev.tandem.hub.fs;

import dev.tandem.core.fs.RegularFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.util.RawParseUtils;

/**
 * Where git runs hooks from besides {@code .git/hooks}: the folders {@code core.hooksPath} names in the configuration
 * of each repository that holds a path and in the person's own ({@code ~/.gitconfig}, {@code
 * $XDG_CONFIG_HOME/git/config}). A file written there runs at the person's next commit, outside any sandbox.
 *
 * <p>Every value counts, not only the one git would use, and every {@code include.path} and {@code includeIf.*.path}
 * is followed whatever its condition: what the fs tools refuse is a superset of what git runs. A relative value is
 * taken against the work tree's root, where git runs hooks (githooks(5)); {@code ~} and {@code ~/} are the home. The
 * included files and the person's own are refused too (git runs the programs they name), and so is every git
 * directory by whatever name (a bare repository, or the folder a {@code .git} file points to), as {@code .git} itself
 * is, and every folder the write would give a git directory's shape ({@link GitShape}). A
 * configuration that cannot be read (not a regular file, over {@value #MAX_CONFIG_BYTES} bytes, not valid, includes
 * nested deeper than {@value #MAX_DEPTH}) makes every write in its repository refused: where hooks run is unknown.
 * Each file is parsed again only when its time, size or identity changed.
 *
 * <p>See https://git-scm.com/docs/git-config#Documentation/git-config.txt-corehooksPath and
 * https://git-scm.com/docs/git-config#_includes.
 */
public final class HooksPaths {
    static final long MAX_CONFIG_BYTES = 1 << 20;
    /** git's own limit on nested includes ({@code MAX_INCLUDE_DEPTH} in git's {@code config.c}). */
    static final int MAX_DEPTH = 10;

    private static final int MAX_FILES = 64;
    private static final int CACHE_SIZE = 256;
    private static final long MAX_GITFILE_BYTES = 4096;
    private static final String GIT_DIR_REASON =
            "lies in a git directory (its configuration and hooks), written only" + " by git, never by the fs tools";

    /** Finds nothing: a hub whose fs tools never write. */
    public static final HooksPaths NONE = new HooksPaths(Path.of("/"), List.of());

    private final Path home;
    private final List<Path> personal;
    private final Map<Path, Parsed> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Parsed> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    private HooksPaths(Path home, List<Path> personal) {
        this.home = home;
        this.personal = List.copyOf(personal);
    }

    /** Returns the finder for the person whose home is {@code home} and whose XDG config folder is {@code xdg}. */
    public static HooksPaths of(Path home, Path xdg) {
        return new HooksPaths(home, List.of(home.resolve(".gitconfig"), xdg.resolve("git/config")));
    }

    /** One configuration file as parsed: its {@code core.hooksPath}, {@code core.excludesFile} and {@code core.attributesFile} values and the files it includes. */
    private record Parsed(
            FileTime time,
            long size,
            Object key,
            List<String> hooksPaths,
            List<Path> includes,
            List<String> excludesFiles,
            List<String> attributesFiles) {}

    private static List<String> values(Config c, String coreKey) {
        return Arrays.stream(c.getStringList("core", null, coreKey))
                .filter(Objects::nonNull)
                .toList();
    }

    /** Makes the error for a configuration file that cannot be read. */
    @FunctionalInterface
    public interface Refusal {
        RuntimeException of(Path file, String problem);
    }

    /**
     * One configuration file as read by {@link #read}, with the files its {@code core.excludesFile} and {@code
     * core.attributesFile} values may name ({@code ~} expanded; a relative one as written).
     */
    public record ConfigFile(Path file, List<Path> excludesFiles, List<Path> attributesFiles) {}

    /**
     * Reads {@code files} and every file they include, whatever the condition of an {@code includeIf}, each only
     * if it is a regular file of at most {@value #MAX_CONFIG_BYTES} bytes (opened without ever blocking), with
     * includes nested at most {@value #MAX_DEPTH} deep; a file that does not exist is skipped, as git does.
     *
     * @throws RuntimeException made by {@code refusal}, naming the file that cannot be read
     */
    public List<ConfigFile> read(List<Path> files, Refusal refusal) {
        List<Source> sources = new ArrayList<>();
        for (Path f : files) {
            load(refusal, f, f, 0, sources);
        }
        List<ConfigFile> out = new ArrayList<>();
        for (Source s : sources) {
            out.add(new ConfigFile(
                    s.file(),
                    s.parsed().excludesFiles().stream()
                            .flatMap(v -> expand(v).stream())
                            .toList(),
                    s.parsed().attributesFiles().stream()
                            .flatMap(v -> expand(v).stream())
                            .toList()));
        }
        return out;
    }

    /** A configuration file that was read. */
    private record Source(Path file, Parsed parsed) {}

    /**
     * Returns, as a deny list, the hooks folders that apply to {@code path} (absolute, normalised), the
     * configuration files they come from and the git directories found on the way.
     *
     * @throws PathRefusedException naming {@code input} when a configuration that applies cannot be read
     */
    public DenyList around(String input, Path path) {
        if (personal.isEmpty()) {
            return DenyList.NONE;
        }
        List<Source> mine = new ArrayList<>();
        for (Path f : personal) {
            load(input, f, f, 0, mine);
        }
        DenyList out = included(DenyList.NONE, mine);
        for (Path f : personal) {
            // wherever XDG_CONFIG_HOME puts it, the person's own configuration names programs git runs
            out = out.with(
                    f,
                    "is the person's git configuration; git runs the programs it names, so the fs tools may read it"
                            + " but never write it");
        }
        for (Source s : mine) {
            for (String v : s.parsed().hooksPaths()) {
                for (Path abs : expand(v)) {
                    if (abs.isAbsolute()) {
                        out = out.with(abs, reason(v, s.file()));
                    }
                }
            }
        }
        for (Path child = path, at = path.getParent(); at != null; child = at, at = at.getParent()) {
            Path dotGit = at.resolve(".git");
            if (Files.exists(dotGit)) {
                out = repository(input, at, dotGit, mine, out);
            }
            if (GitShape.isGitDirectory(at)) {
                out = out.with(at, GIT_DIR_REASON);
            } else if (GitShape.wouldBeGitDirectory(at, child.getFileName().toString(), child.equals(path))) {
                out = out.with(
                        at,
                        "would leave " + at + " shaped as a git directory or one piece short of one ("
                                + GitShape.PIECES + "); git run there reads its configuration, so the fs tools never"
                                + " come that close");
            }
        }
        return out;
    }

    /** Adds what the repository whose work tree is {@code tree} makes git run hooks from. */
    private DenyList repository(String input, Path tree, Path dotGit, List<Source> mine, DenyList out) {
        Path gitDir = Files.isDirectory(dotGit) ? dotGit : gitFile(input, dotGit);
        Path common = gitDir;
        Path commondir = gitDir.resolve("commondir");
        if (Files.exists(commondir)) {
            common = gitDir.resolve(small(input, commondir).strip()).normalize();
        }
        if (!GitMetadata.inside(gitDir)) {
            out = out.with(gitDir, GIT_DIR_REASON);
        }
        if (!GitMetadata.inside(common)) {
            out = out.with(common, GIT_DIR_REASON);
        }
        List<Source> repo = new ArrayList<>();
        load(input, common.resolve("config"), common.resolve("config"), 0, repo);
        load(input, gitDir.resolve("config.worktree"), gitDir.resolve("config.worktree"), 0, repo);
        out = included(out, repo);
        List<Source> all = new ArrayList<>(repo);
        all.addAll(mine);
        for (Source s : all) {
            for (String v : s.parsed().hooksPaths()) {
                for (Path p : expand(v)) {
                    out = out.with(tree.resolve(p).normalize(), reason(v, s.file()));
                }
            }
        }
        return out;
    }

    /** Returns {@code out} with each file some configuration included denied too. */
    private static DenyList included(DenyList out, List<Source> sources) {
        for (Source s : sources) {
            for (Path inc : s.parsed().includes()) {
                out = out.with(
                        inc,
                        "is a git configuration file that " + s.file() + " includes; git runs the programs it names,"
                                + " so the fs tools may read it but never write it");
            }
        }
        return out;
    }

    private static String reason(String value, Path file) {
        return "lies where git runs hooks from (core.hooksPath = " + value + " in " + file
                + "); the fs tools may read it but never write it";
    }

    /**
     * Returns the paths {@code value} may mean, as git's {@code interpolate_path} expands it: {@code ~} and {@code ~/}
     * against the home; {@code ~user} and {@code ~user/}, for the user the hub runs as, against that user's home in
     * the password database ({@code user.home}) and the home both; nothing for another user's home, which the hub
     * does not look up.
     */
    private List<Path> expand(String value) {
        if (value.isBlank() || value.startsWith("%(")) {
            return List.of();
        }
        try {
            if (!value.startsWith("~")) {
                return List.of(Path.of(value));
            }
            int slash = value.indexOf('/');
            String user = slash < 0 ? value.substring(1) : value.substring(1, slash);
            // git pastes the home and the rest together: ~//x is the home's x, never /x
            String rest = slash < 0 ? "" : value.substring(slash + 1).replaceFirst("^/+", "");
            if (user.isEmpty()) {
                return List.of(home.resolve(rest).normalize());
            }
            if (!user.equals(System.getProperty("user.name"))) {
                return List.of();
            }
            Path own = Path.of(System.getProperty("user.home")).resolve(rest).normalize();
            Path mine = home.resolve(rest).normalize();
            return own.equals(mine) ? List.of(own) : List.of(own, mine);
        } catch (InvalidPathException e) {
            return List.of();
        }
    }

    /** Reads {@code file} and what it includes into {@code out}; a file that does not exist is skipped, as git does. */
    private void load(String input, Path file, Path includedBy, int depth, List<Source> out) {
        load((f, problem) -> unreadable(input, f, problem), file, includedBy, depth, out);
    }

    private void load(Refusal refusal, Path file, Path includedBy, int depth, List<Source> out) {
        if (depth > MAX_DEPTH || out.size() >= MAX_FILES) {
            throw refusal.of(
                    includedBy, "includes nested deeper than " + MAX_DEPTH + " or more than " + MAX_FILES + " files");
        }
        Optional<Parsed> parsed = parse(refusal, file);
        if (parsed.isEmpty()) {
            return;
        }
        out.add(new Source(file, parsed.get()));
        // an include taken against the folder as named and as real is often one file (linked dotfiles): read once
        Set<Path> seen = new HashSet<>();
        for (Path inc : parsed.get().includes()) {
            if (seen.add(realOrAsIs(inc))) {
                load(refusal, inc, file, depth + 1, out);
            }
        }
    }

    private static Path realOrAsIs(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p;
        }
    }

    private Optional<Parsed> parse(Refusal refusal, Path file) {
        Path real;
        BasicFileAttributes attrs;
        try {
            real = file.toRealPath();
            attrs = Files.readAttributes(real, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw refusal.of(file, e.toString());
        }
        synchronized (cache) {
            Parsed known = cache.get(file);
            if (known != null
                    && known.time().equals(attrs.lastModifiedTime())
                    && known.size() == attrs.size()
                    && Objects.equals(known.key(), attrs.fileKey())) {
                return Optional.of(known);
            }
        }
        try {
            byte[] bytes = RegularFiles.read(real, Optional.ofNullable(attrs.fileKey()), MAX_CONFIG_BYTES);
            Config c = new Config();
            c.fromText(RawParseUtils.decode(bytes));
            List<Path> includes = new ArrayList<>();
            addIncludes(c.getStringList("include", null, "path"), file, real, includes);
            for (String sub : c.getSubsections("includeIf")) {
                addIncludes(c.getStringList("includeIf", sub, "path"), file, real, includes);
            }
            Parsed p = new Parsed(
                    attrs.lastModifiedTime(),
                    attrs.size(),
                    attrs.fileKey(),
                    values(c, "hooksPath"),
                    List.copyOf(includes),
                    values(c, "excludesFile"),
                    values(c, "attributesFile"));
            synchronized (cache) {
                cache.put(file, p);
            }
            return Optional.of(p);
        } catch (ConfigInvalidException e) {
            // JGit's message may quote the file's content, which may hold secrets: name the file only
            throw refusal.of(file, "not valid git configuration");
        } catch (IOException | FsException e) {
            throw refusal.of(file, e.getMessage());
        }
    }

    /** Adds each included path, relative ones taken against the including file's folder as named and as real. */
    private void addIncludes(String[] values, Path file, Path real, List<Path> out) {
        for (String v : values) {
            for (Path p : expand(v)) {
                for (Path base : List.of(file.getParent(), real.getParent())) {
                    Path inc = base.resolve(p).normalize();
                    if (!out.contains(inc)) {
                        out.add(inc);
                    }
                }
            }
        }
    }

    /** Returns the git directory a {@code .git} file names ({@code gitdir: <path>}, relative to its folder). */
    private static Path gitFile(String input, Path dotGit) {
        String text = small(input, dotGit).strip();
        if (!text.startsWith("gitdir:")) {
            throw unreadable(input, dotGit, "not a gitdir: line");
        }
        return dotGit.resolveSibling(text.substring("gitdir:".length()).strip()).normalize();
    }

    private static String small(String input, Path file) {
        try {
            return new String(
                    RegularFiles.read(file.toRealPath(), Optional.empty(), MAX_GITFILE_BYTES), StandardCharsets.UTF_8);
        } catch (IOException | FsException e) {
            throw unreadable(input, file, e.getMessage());
        }
    }

    private static PathRefusedException unreadable(String input, Path file, String problem) {
        return new PathRefusedException(
                input,
                "git's configuration " + file + " cannot be read (" + problem + "), so where git runs hooks from"
                        + " (core.hooksPath) is unknown; the fs tools write nothing where it applies until it can be");
    }
}
