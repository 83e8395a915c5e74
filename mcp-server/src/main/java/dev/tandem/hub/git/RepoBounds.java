package dev.tandem.hub.git;

import dev.tandem.core.git.NoExecFS;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.attributes.AttributesNode;
import org.eclipse.jgit.attributes.AttributesNodeProvider;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.lib.BaseRepositoryBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.CoreConfig;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Keeps the git tools inside the roots: a repository's git dir, common dir ({@code commondir}), object stores
 * (alternates included, recursively) and every symbolic link inside them that JGit reads or writes through must
 * resolve inside a root, or the repository is refused before JGit opens it.
 *
 * <p>{@code hooks/} is not looked at: the hub never runs hooks ({@link NoExecFS}). Loose object files are not
 * looked at one by one (a repository may hold many thousands); their folders are.
 */
final class RepoBounds {
    private static final int MAX_ALTERNATE_DEPTH = 5;
    private static final int MAX_LINK_HOPS = 40;
    private static final List<String> WALKED = List.of("refs", "logs", "info", "worktrees");

    private final List<Path> roots;
    private final ConfigFiles configs = new ConfigFiles();

    RepoBounds(List<Path> roots) {
        this.roots = List.copyOf(roots);
    }

    /** Returns the real path of the root that holds {@code real}, itself a real path. */
    Optional<Path> rootOf(Path real) {
        for (Path root : realRoots()) {
            if (real.startsWith(root)) {
                return Optional.of(root);
            }
        }
        return Optional.empty();
    }

    /**
     * Returns a builder for the repository of a work tree (or git dir) that refuses, before JGit reads anything
     * from it, git data outside the roots; its repositories use {@link NoExecFS}.
     *
     * @param shown how messages name the repository, e.g. {@code dir 'proj'}
     */
    FileRepositoryBuilder builder(String shown) {
        return new Checked(shown).setFS(NoExecFS.sealed());
    }

    /** Throws unless the work tree's {@code .gitmodules} is safe to read; see {@link ConfigFiles#checkModules}. */
    void checkModules(Path workTree, String shown) {
        configs.checkModules(workTree, shown);
    }

    /** Throws unless the git data of {@code gitDir} (and {@code commonDir}) lies inside the roots. */
    void check(Path gitDir, Path commonDir, String shown) {
        requireInside(gitDir, shown, "its git dir");
        requireInside(commonDir, shown, "its common git dir (commondir)");
        checkEntries(gitDir, shown);
        if (!same(gitDir, commonDir)) {
            checkEntries(commonDir, shown);
        }
        checkObjects(commonDir.resolve("objects"), shown, new HashSet<>(), 0);
    }

    private void checkEntries(Path dir, String shown) {
        for (Path entry : list(dir)) {
            String name = entry.getFileName().toString();
            if (name.equals("hooks") || name.equals("objects")) {
                continue; // hooks never run; objects are checked with their alternates
            }
            requireInside(entry, shown, label(dir, entry));
            requireNotSpecial(entry, shown, label(dir, entry));
            if (WALKED.contains(name) && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                walkLinks(dir, entry, shown);
            }
        }
    }

    private void checkObjects(Path objects, String shown, Set<Path> seen, int depth) {
        requireInside(objects, shown, depth == 0 ? "its object store 'objects'" : "an alternate object store");
        Path real = real(objects);
        if (!seen.add(real) || !Files.isDirectory(real)) {
            return;
        }
        for (Path entry : list(real)) {
            requireInside(entry, shown, "'objects/" + entry.getFileName() + "'");
        }
        for (String sub : List.of("pack", "info")) {
            for (Path entry : list(real.resolve(sub))) {
                requireInside(entry, shown, "'objects/" + sub + "/" + entry.getFileName() + "'");
            }
        }
        for (String line : alternates(real.resolve("info/alternates"))) {
            if (depth >= MAX_ALTERNATE_DEPTH) {
                throw new GitException(shown + ": alternate object stores nest deeper than " + MAX_ALTERNATE_DEPTH);
            }
            checkObjects(real.resolve(line), shown, seen, depth + 1);
        }
    }

    private static List<String> alternates(Path file) {
        try {
            List<String> out = new ArrayList<>();
            // opened without blocking (a FIFO is refused), at most 1 MiB
            byte[] bytes = dev.tandem.core.fs.RegularFiles.read(file, java.util.Optional.empty(), 1 << 20);
            for (String line : new String(bytes, StandardCharsets.UTF_8).lines().toList()) {
                String l = line.strip();
                if (!l.isEmpty() && !l.startsWith("#")) {
                    out.add(l);
                }
            }
            return out;
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new GitException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Checks every symbolic link below {@code top} (links are not followed). */
    private void walkLinks(Path base, Path top, String shown) {
        try {
            Files.walkFileTree(top, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isSymbolicLink()) {
                        requireInside(file, shown, label(base, file));
                    }
                    if (attrs.isSymbolicLink() || attrs.isOther()) {
                        requireNotSpecial(file, shown, label(base, file));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new GitException(shown + ": cannot read " + label(base, top) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses git data that is a FIFO, socket or device (links followed): JGit would open it as a file, and opening a
     * FIFO for reading waits for a writer, maybe forever, holding the tool's thread. A path that does not exist is
     * let through.
     */
    static void requireNotSpecial(Path p, String shown, String what) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(p, BasicFileAttributes.class);
        } catch (IOException e) {
            return; // missing, a dangling link or a loop: JGit finds nothing there to open
        }
        if (a.isOther()) {
            throw new GitException(shown + ": " + what + " is not a regular file or folder (a FIFO, socket or"
                    + " device); the git tools read no such git data");
        }
    }

    private void requireInside(Path p, String shown, String what) {
        Optional<Path> resolved = resolve(p, 0);
        if (resolved.isEmpty() || rootOf(resolved.get()).isEmpty()) {
            throw new GitException(shown + ": " + what + " leads outside the roots; the hub reads and writes only"
                    + " repositories whose git data lies inside its roots");
        }
    }

    /**
     * Returns where {@code p} leads: its real path, or for a path that does not exist (a dangling link, a file
     * not made yet) where it would be created; empty when that cannot be told (a link loop).
     */
    private static Optional<Path> resolve(Path p, int hops) {
        if (hops > MAX_LINK_HOPS) {
            return Optional.empty();
        }
        Path abs = p.toAbsolutePath().normalize();
        try {
            return Optional.of(abs.toRealPath());
        } catch (NoSuchFileException e) {
            // fall through: resolve what exists, keep the rest
        } catch (IOException e) {
            return Optional.empty();
        }
        if (Files.isSymbolicLink(abs)) {
            try {
                Path target = Files.readSymbolicLink(abs);
                Path parent = abs.getParent();
                return resolve(parent == null ? target : parent.resolve(target), hops + 1);
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        Path parent = abs.getParent();
        if (parent == null) {
            return Optional.empty();
        }
        return resolve(parent, hops + 1).map(r -> r.resolve(abs.getFileName()));
    }

    private static Path real(Path p) {
        return resolve(p, 0).orElse(p);
    }

    private static boolean same(Path a, Path b) {
        return real(a).equals(real(b));
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(out::add);
        } catch (IOException e) {
            throw new GitException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static String label(Path base, Path entry) {
        return "'" + base.getFileName() + "/" + base.relativize(entry) + "'";
    }

    private List<Path> realRoots() {
        List<Path> out = new ArrayList<>();
        for (Path r : roots) {
            try {
                out.add(r.toRealPath());
            } catch (IOException e) {
                // A root that does not exist holds nothing.
            }
        }
        return out;
    }

    /**
     * Checks the git data and the configuration files ({@link ConfigFiles}) once JGit has found the git and common
     * dirs, before it reads the config there; its repositories read attribute rules through {@link
     * AttributeRules}.
     */
    private final class Checked extends FileRepositoryBuilder {
        private final String shown;

        Checked(String shown) {
            this.shown = shown;
        }

        @Override
        protected void setupWorkTree() throws IOException {
            File gitDir = getGitDir();
            if (gitDir != null) {
                File commonDir = getGitCommonDir() != null ? getGitCommonDir() : gitDir;
                check(gitDir.toPath(), commonDir.toPath(), shown);
                configs.check(gitDir.toPath(), commonDir.toPath(), shown);
            }
            super.setupWorkTree();
            if (getWorkTree() != null) {
                // a nested repository's own status (JGit's, run for the outer one) reads its .gitmodules: checked
                // here, before; only the outer status is kept from reading it at all (GitService.submoduleIgnore)
                configs.checkModules(getWorkTree().toPath(), shown);
            }
        }

        @Override
        public Repository build() throws IOException {
            FileRepository repo = new BoundedAttributesRepository(setup());
            if (isMustExist() && !repo.getObjectDatabase().exists()) {
                repo.close();
                throw new RepositoryNotFoundException(getGitDir());
            }
            return repo;
        }
    }

    /** A repository whose {@code info/attributes} and {@code core.attributesFile} are read by {@link AttributeRules}. */
    private static final class BoundedAttributesRepository extends FileRepository {
        BoundedAttributesRepository(BaseRepositoryBuilder<?, ?> options) throws IOException {
            super(options);
        }

        @Override
        public AttributesNodeProvider createAttributesNodeProvider() {
            return new AttributesNodeProvider() {
                @Override
                public AttributesNode getInfoAttributesNode() {
                    Path info = getFS().resolve(getCommonDirectory(), Constants.INFO_ATTRIBUTES)
                            .toPath();
                    return AttributeRules.file(real(info), "'" + info + "'").orElse(null);
                }

                @Override
                public AttributesNode getGlobalAttributesNode() {
                    String path = getConfig().get(CoreConfig.KEY).getAttributesFile();
                    if (path == null) {
                        return null;
                    }
                    File file = path.startsWith("~/")
                            ? getFS().resolve(getFS().userHome(), path.substring(2))
                            : getFS().resolve(null, path);
                    return AttributeRules.file(real(file.toPath()), "'" + file + "' (core.attributesFile)")
                            .orElse(null);
                }
            };
        }
    }
}
