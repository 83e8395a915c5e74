package dev.tandem.sync.runtime;

import dev.tandem.core.git.NoExecFS;
import dev.tandem.sync.engine.Contents;
import dev.tandem.sync.engine.InputException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Tells which files of the checkout have uncommitted changes (so pull-runtime does not overwrite them).
 *
 * <p>Only the asked file is looked at, byte for byte against the blob of {@code HEAD} and the index entry: no
 * {@code git status} walk, which would read every file of the work tree (a FIFO there would block it) and run the
 * clean filter a repository's {@code .git/config} and {@code .gitattributes} name; the repository is opened through
 * {@link NoExecFS} as the hub's are, so nothing it names could run anyway. A file that differs only through such a
 * filter or line-ending conversion counts as changed; {@code --force} overrides.
 *
 * @param gitDir the repository's git directory, empty for a folder outside git
 * @param workTree its work tree (real path)
 */
record RepoStatus(Optional<File> gitDir, Path workTree) {
    /** Finds the repository holding {@code dir}; a folder outside git has nothing uncommitted. */
    static RepoStatus of(Path dir) {
        FileRepositoryBuilder builder =
                new FileRepositoryBuilder().setFS(NoExecFS.sealed()).findGitDir(dir.toFile());
        if (builder.getGitDir() == null) {
            return new RepoStatus(Optional.empty(), dir);
        }
        try (Repository repo = builder.setMustExist(true).build()) {
            return new RepoStatus(
                    Optional.of(repo.getDirectory()),
                    repo.getWorkTree().toPath().toRealPath());
        } catch (IOException | RuntimeException e) {
            throw InputException.of(dir, "cannot read the git repository: " + e.getMessage());
        }
    }

    /** Returns whether {@code file} is untracked, staged, or differs from {@code HEAD} in the work tree. */
    boolean uncommitted(Path file) {
        if (gitDir.isEmpty()) {
            return false;
        }
        Path real;
        try {
            real = file.toAbsolutePath().getParent().toRealPath().resolve(file.getFileName());
        } catch (IOException e) {
            return false;
        }
        if (!real.startsWith(workTree)) {
            return false;
        }
        String rel = workTree.relativize(real).toString().replace(File.separatorChar, '/');
        try (Repository repo = new FileRepositoryBuilder()
                .setFS(NoExecFS.sealed())
                .setGitDir(gitDir.get())
                .setMustExist(true)
                .build()) {
            Optional<ObjectId> head = headBlob(repo, rel);
            Optional<ObjectId> staged =
                    Optional.ofNullable(repo.readDirCache().getEntry(rel)).map(DirCacheEntry::getObjectId);
            Optional<ObjectId> now =
                    Contents.read(file).map(b -> new ObjectInserter.Formatter().idFor(Constants.OBJ_BLOB, b));
            return !head.equals(staged) || !head.equals(now);
        } catch (IOException | RevisionSyntaxException e) {
            throw InputException.of(file, "cannot read its git status: " + e.getMessage());
        }
    }

    private static Optional<ObjectId> headBlob(Repository repo, String rel) throws IOException {
        ObjectId tree = repo.resolve(Constants.HEAD + "^{tree}");
        if (tree == null) {
            return Optional.empty();
        }
        try (TreeWalk walk = TreeWalk.forPath(repo, rel, tree)) {
            return walk == null
                    ? Optional.empty()
                    : Optional.of(walk.getObjectId(0).copy());
        }
    }
}
