package dev.tandem.sync.runtime;

import dev.tandem.core.git.NoExecFS;
import dev.tandem.sync.engine.InputException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/** Tells which files of the checkout have uncommitted changes (so pull-runtime does not overwrite them). */
final class RepoStatus {
    private final Set<String> dirty;
    private final Path workTree;

    private RepoStatus(Path workTree, Set<String> dirty) {
        this.workTree = workTree;
        this.dirty = Set.copyOf(dirty);
    }

    /**
     * Reads the status of the repository holding {@code dir}; a folder outside git has nothing uncommitted.
     *
     * <p>Through {@link NoExecFS}, like the hub's git tools: no filter, hook or other program named by the
     * repository runs, and no FIFO in the work tree is opened.
     */
    static RepoStatus of(Path dir) {
        FileRepositoryBuilder builder =
                new FileRepositoryBuilder().setFS(NoExecFS.sealed()).findGitDir(dir.toFile());
        if (builder.getGitDir() == null) {
            return new RepoStatus(dir, Set.of());
        }
        try (Repository repo = builder.setMustExist(true).build();
                Git git = new Git(repo)) {
            return new RepoStatus(
                    repo.getWorkTree().toPath().toRealPath(),
                    git.status().call().getUncommittedChanges());
        } catch (IOException | GitAPIException | RuntimeException e) {
            throw InputException.of(dir, "cannot read git status: " + e.getMessage());
        }
    }

    boolean uncommitted(Path file) {
        try {
            Path real = file.toAbsolutePath().getParent().toRealPath().resolve(file.getFileName());
            return real.startsWith(workTree)
                    && dirty.contains(workTree.relativize(real).toString());
        } catch (IOException e) {
            return false;
        }
    }
}
