package dev.tandem.hub.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Finds the repository for a working-directory argument, refusing anything that is not inside a root: the folder,
 * the work tree and (through {@link RepoBounds}) all of the repository's git data.
 */
final class WorkTrees {
    private final List<Path> roots;
    private final RepoBounds bounds;

    /** Creates the finder; roots that do not exist yet are skipped at each lookup. */
    WorkTrees(List<Path> roots) {
        this.roots = List.copyOf(roots);
        this.bounds = new RepoBounds(roots);
    }

    RepoBounds bounds() {
        return bounds;
    }

    /**
     * Opens the repository whose work tree holds {@code dir}; the caller closes it.
     *
     * @param dir a folder, absolute or relative to the first root; empty means the first root
     */
    Repository open(Optional<String> dir) {
        String shown = dir.orElse(".");
        Path real = realDir(dir, shown);
        Path root = rootOf(real).orElseThrow(() -> new GitException("dir '" + shown + "' is outside the roots"));
        FileRepositoryBuilder builder = bounds.builder("dir '" + shown + "'");
        if (root.getParent() != null) {
            // Search no higher than the root: a repository that encloses the root is not ours to touch.
            builder.addCeilingDirectory(root.getParent().toFile());
        }
        refuseSpecialHeads(real, root.getParent(), shown);
        builder.findGitDir(real.toFile());
        if (builder.getGitDir() == null) {
            throw new GitException("dir '" + shown + "' is not inside a git repository");
        }
        Repository repo;
        try {
            repo = builder.setMustExist(true).build();
        } catch (IOException | RuntimeException e) {
            if (e instanceof GitException g) {
                throw g;
            }
            throw new GitException("dir '" + shown + "': cannot open repository: " + GitFailure.describe(e), e);
        }
        if (repo.isBare()) {
            repo.close();
            throw new GitException("dir '" + shown + "' is a bare repository; a work tree is needed");
        }
        checkWorkTree(repo, shown);
        return repo;
    }

    /**
     * Refuses a FIFO, socket or device where JGit's search for the repository reads a file ({@code .git/HEAD},
     * a {@code .git} file, a bare repository's {@code HEAD}) in {@code dir} or a folder above it up to {@code
     * ceiling}: opening a FIFO for reading waits for a writer, maybe forever, before the repository's bounds are
     * checked.
     */
    private static void refuseSpecialHeads(Path dir, Path ceiling, String shown) {
        for (Path d = dir; d != null && (ceiling == null || !d.equals(ceiling)); d = d.getParent()) {
            for (Path p : List.of(d.resolve(".git").resolve("HEAD"), d.resolve(".git"), d.resolve("HEAD"))) {
                RepoBounds.requireNotSpecial(p, "dir '" + shown + "'", p.toString());
            }
        }
    }

    private void checkWorkTree(Repository repo, String shown) {
        try {
            Path workTree = repo.getWorkTree().toPath().toRealPath();
            if (rootOf(workTree).isEmpty()) {
                throw new GitException("dir '" + shown + "': the repository's work tree is outside the roots");
            }
        } catch (IOException e) {
            repo.close();
            throw new GitException("dir '" + shown + "': cannot resolve the work tree: " + GitFailure.describe(e), e);
        } catch (GitException e) {
            repo.close();
            throw e;
        }
    }

    /** Returns the real path of the folder {@code dir} names, as {@link #open} resolves it. */
    Path realDir(Optional<String> dir) {
        return realDir(dir, dir.orElse("."));
    }

    private Path realDir(Optional<String> dir, String shown) {
        if (roots.isEmpty()) {
            throw new GitException("no roots are configured; the hub serves no folders");
        }
        Path base = roots.get(0);
        Path p = dir.map(d -> base.resolve(d)).orElse(base);
        try {
            Path real = p.toRealPath();
            if (!Files.isDirectory(real)) {
                throw new GitException("dir '" + shown + "' is not a directory");
            }
            return real;
        } catch (NoSuchFileException e) {
            throw new GitException("dir '" + shown + "' does not exist", e);
        } catch (IOException e) {
            throw new GitException("dir '" + shown + "': " + e.getMessage(), e);
        }
    }

    /** Returns the real path of the root that holds {@code real}, itself a real path. */
    Optional<Path> rootOf(Path real) {
        return bounds.rootOf(real);
    }
}
