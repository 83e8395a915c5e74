package dev.tandem.hub.fs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The folders the fs tools may touch, each resolved once to its real path; every path a tool gets is checked here.
 *
 * <p>A path is absolute or relative to the first root. {@code ..} is resolved lexically first and must not leave
 * a root; then the real path (symbolic links followed) must lie inside a root too. Names with a NUL byte, a name
 * longer than {@value #MAX_NAME_BYTES} bytes or a path longer than {@value #MAX_PATH_BYTES} bytes are refused
 * before the file system is asked anything. Paths on the {@link DenyList} (the hub's own state, credentials) are
 * refused as written and as real paths; so are, for writes only, paths on the write deny list (files that run code
 * when a shell, editor or engine starts: {@link DenyList#WRITE_DEFAULTS}), and the folders git runs hooks from
 * because some configuration names them in {@code core.hooksPath} ({@link HooksPaths}).
 */
public final class Roots {
    static final int MAX_NAME_BYTES = 255;
    static final int MAX_PATH_BYTES = 4096;

    private final List<Path> real;
    private final List<Path> configured;
    private final DenyList deny;
    private final DenyList writeDeny;
    private final HooksPaths hooks;

    private Roots(List<Path> real, List<Path> configured, DenyList deny, DenyList writeDeny, HooksPaths hooks) {
        this.real = List.copyOf(real);
        this.configured = List.copyOf(configured);
        this.deny = deny;
        this.writeDeny = writeDeny;
        this.hooks = hooks;
    }

    /** Resolves each configured root to its real path, once, with nothing denied inside them. */
    public static Roots of(List<Path> roots) {
        return of(roots, DenyList.NONE);
    }

    /** Returns roots that hold nothing: every path is outside (a hub with no roots configured). */
    public static Roots none(DenyList deny) {
        return new Roots(List.of(), List.of(), deny, DenyList.NONE, HooksPaths.NONE);
    }

    /** Resolves each configured root to its real path, once; a root given as a symbolic link stays where it led. */
    public static Roots of(List<Path> roots, DenyList deny) {
        return of(roots, deny, DenyList.NONE);
    }

    /**
     * Resolves each configured root as {@link #of(List, DenyList)}; {@code writeDeny} names what may be read but
     * never written.
     */
    public static Roots of(List<Path> roots, DenyList deny, DenyList writeDeny) {
        return of(roots, deny, writeDeny, HooksPaths.NONE);
    }

    /**
     * Resolves each configured root as {@link #of(List, DenyList, DenyList)}; {@code hooks} finds, for each write,
     * the folders git runs hooks from ({@code core.hooksPath}), which are never written either.
     */
    public static Roots of(List<Path> roots, DenyList deny, DenyList writeDeny, HooksPaths hooks) {
        if (roots.isEmpty()) {
            throw new FsException("no fs roots configured");
        }
        List<Path> real = new ArrayList<>();
        List<Path> configured = new ArrayList<>();
        for (Path root : roots) {
            Path abs = root.toAbsolutePath().normalize();
            try {
                Path r = abs.toRealPath();
                if (!Files.isDirectory(r)) {
                    throw new FsException("root " + abs + ": not a folder");
                }
                real.add(r);
                configured.add(abs);
            } catch (IOException e) {
                throw new FsException("root " + abs + ": cannot be resolved: " + e, e);
            }
        }
        return new Roots(real, configured, deny, writeDeny, hooks);
    }

    /** Returns the deny list as it applies now (its entries' real paths resolved). */
    public DenyList.Resolved denied() {
        return deny.resolve();
    }

    /** Returns the deny list (a caller that lets a program write a whole folder checks it for entries inside). */
    public DenyList denyList() {
        return deny;
    }

    /** Returns what finds git's hooks folders ({@code core.hooksPath}) for a path. */
    public HooksPaths hooksPaths() {
        return hooks;
    }

    /** Returns the write deny list, for a caller that lets a program write in a folder (jobs) to check it. */
    public DenyList writeDenyList() {
        return writeDeny;
    }

    /** Returns the real paths of the roots, in configured order. */
    public List<Path> paths() {
        return real;
    }

    /** Returns the real path of the existing file or folder {@code input} names, inside a root. */
    public Path existing(String input) {
        DenyList.Resolved denied = deny.resolve();
        Path lexical = lexical(input);
        denied.check(input, lexical);
        Path realPath;
        try {
            realPath = lexical.toRealPath();
        } catch (NoSuchFileException e) {
            Path ancestor = deepestExisting(input, lexical);
            requireInside(input, ancestor);
            if (Files.isSymbolicLink(lexical)) {
                throw new FsException(FsException.show(input) + ": a symbolic link whose target does not exist");
            }
            throw new FsException(FsException.show(input) + ": no such file or folder");
        } catch (FileSystemException e) {
            throw refusedLoop(input, e);
        } catch (IOException e) {
            throw new FsException(FsException.show(input) + ": cannot be resolved: " + e.getMessage(), e);
        }
        requireInside(input, realPath);
        denied.check(input, realPath);
        requireFileOrFolder(input, realPath);
        return realPath;
    }

    /**
     * Returns where a write to {@code input} lands: the real parent folder (inside a root) and the file name.
     *
     * <p>An existing target is followed to its real path, which must lie in a root; a dangling symbolic link is
     * refused, so a write can never create a file through a link that points out. Git metadata ({@link
     * GitMetadata}) and the write deny list are refused whether named directly or reached through a link; the
     * target's path includes the folders a write would create, so none of them is made either.
     */
    public WriteTarget forWrite(String input) {
        DenyList.Resolved denied = deny.resolve();
        DenyList.Resolved notWritten = writeDeny.resolve();
        Path lexical = lexical(input);
        denied.check(input, lexical);
        notWritten.check(input, lexical);
        WriteTarget target = resolveForWrite(input, lexical);
        denied.check(input, target.path());
        notWritten.check(input, target.path());
        if (GitMetadata.inside(lexical) || GitMetadata.inside(target.path())) {
            throw new PathRefusedException(input, "git metadata (.git) is written only by git, never by the fs tools");
        }
        hooks.around(input, lexical).check(input, lexical);
        if (!target.path().equals(lexical)) {
            hooks.around(input, target.path()).check(input, target.path());
        }
        return target;
    }

    private WriteTarget resolveForWrite(String input, Path lexical) {
        try {
            Path realPath = lexical.toRealPath();
            requireInside(input, realPath);
            if (Files.isDirectory(realPath)) {
                throw new FsException(FsException.show(input) + ": is a folder");
            }
            requireFileOrFolder(input, realPath);
            return target(
                    realPath.getParent(), List.of(), realPath.getFileName().toString());
        } catch (NoSuchFileException e) {
            if (Files.isSymbolicLink(lexical)) {
                throw new PathRefusedException(input, "a symbolic link whose target does not exist");
            }
        } catch (FileSystemException e) {
            throw refusedLoop(input, e);
        } catch (IOException e) {
            throw new FsException(FsException.show(input) + ": cannot be resolved: " + e.getMessage(), e);
        }
        Path ancestor = deepestExisting(input, lexical);
        requireInside(input, ancestor);
        if (!Files.isDirectory(ancestor)) {
            throw new FsException(FsException.show(input) + ": " + ancestor + " is not a folder");
        }
        Path rest = lexical.getNameCount() > 0 ? relativeTail(lexical, input) : Path.of("");
        List<String> missing = new ArrayList<>();
        for (Path p : rest) {
            missing.add(p.toString());
        }
        String name = missing.remove(missing.size() - 1);
        return target(ancestor, missing, name);
    }

    /** Returns the root that holds the real path {@code p}. */
    Path rootOf(Path p) {
        return real.stream().filter(p::startsWith).findFirst().orElseThrow();
    }

    private WriteTarget target(Path parent, List<String> missing, String name) {
        return new WriteTarget(rootOf(parent), parent, missing, name);
    }

    private Path relativeTail(Path lexical, String input) {
        // the missing tail is whatever the lexical path has beyond its deepest existing ancestor
        Path p = lexical;
        int missing = 0;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
            missing++;
        }
        if (p == null || missing == 0) {
            throw new FsException(FsException.show(input) + ": cannot be resolved");
        }
        return lexical.subpath(lexical.getNameCount() - missing, lexical.getNameCount());
    }

    /** Returns the real path of the deepest ancestor of {@code lexical} that exists. */
    private Path deepestExisting(String input, Path lexical) {
        Path p = lexical.getParent();
        while (p != null) {
            try {
                return p.toRealPath();
            } catch (NoSuchFileException e) {
                p = p.getParent();
            } catch (IOException e) {
                throw refusedLoop(input, e);
            }
        }
        throw new PathRefusedException(input, "lies outside the roots " + real);
    }

    private Path lexical(String input) {
        if (input.indexOf('\0') >= 0) {
            throw new PathRefusedException(input, "contains a NUL byte");
        }
        if (input.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new PathRefusedException(input, "longer than " + MAX_PATH_BYTES + " bytes");
        }
        for (String name : input.split("/", -1)) {
            if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
                throw new PathRefusedException(input, "has a name longer than " + MAX_NAME_BYTES + " bytes");
            }
        }
        Path p;
        try {
            p = Path.of(input.isEmpty() ? "." : input);
        } catch (InvalidPathException e) {
            throw new PathRefusedException(input, "not a valid path: " + e.getReason());
        }
        Path abs = (p.isAbsolute() ? p : real.get(0).resolve(p)).normalize();
        boolean inside =
                real.stream().anyMatch(abs::startsWith) || configured.stream().anyMatch(abs::startsWith);
        if (!inside) {
            throw new PathRefusedException(input, "lies outside the roots " + real);
        }
        return abs;
    }

    private void requireInside(String input, Path realPath) {
        if (real.stream().noneMatch(realPath::startsWith)) {
            throw new PathRefusedException(input, "a symbolic link leads outside the roots " + real);
        }
    }

    private static void requireFileOrFolder(String input, Path realPath) {
        Optional<BasicFileAttributes> attrs = attributes(realPath);
        if (attrs.isPresent() && attrs.get().isOther()) {
            throw new PathRefusedException(input, "is a device, FIFO or socket, not a file or folder");
        }
    }

    static Optional<BasicFileAttributes> attributes(Path p) {
        try {
            return Optional.of(Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static FsException refusedLoop(String input, IOException e) {
        String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.toString();
        return new PathRefusedException(input, "cannot be resolved: " + reason);
    }
}
