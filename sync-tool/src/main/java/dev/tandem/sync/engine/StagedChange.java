package dev.tandem.sync.engine;

import dev.tandem.core.config.FileModes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** One change a {@link FileTransaction} staged: done by {@link #apply}, undone by {@link #undo}. */
interface StagedChange {
    /** Returns the managed path (a symlink's own path when the change goes through it). */
    Path path();

    /** Returns the folder whose entry the step changes (a link's target folder for a write through it). */
    default Path dir() {
        return path().toAbsolutePath().getParent();
    }

    /** Returns the verb reported before the path once the change is done: {@code update }, {@code delete }, … */
    String line();

    void apply() throws IOException;

    void undo() throws IOException;

    /** Removes the temporary files staging made that are still there (after commit or in place of it). */
    void discard() throws IOException;

    /** Runs after every step applied: folders emptied by a delete go. */
    default void finish() {}

    /** Replaces {@code file} (what {@code path} names) with {@code temp}; {@code old} links to what it held. */
    final class Replace implements StagedChange {
        private final Path path;
        private final Path file;
        private final Path dir;
        private final String line;
        /** The staged new content, until renamed into place. */
        Path temp;
        /** A link to (or copy of) the old content, until the transaction ends. */
        Path old;

        Replace(Path path, Path file, Path dir, String line) {
            this.path = path;
            this.file = file;
            this.dir = dir;
            this.line = line;
        }

        @Override
        public Path path() {
            return path;
        }

        @Override
        public String line() {
            return line;
        }

        @Override
        public Path dir() {
            return dir;
        }

        @Override
        public void apply() throws IOException {
            AtomicFile.rename(temp, file);
            temp = null;
        }

        @Override
        public void undo() throws IOException {
            if (old == null) {
                Files.delete(file);
            } else {
                AtomicFile.rename(old, file);
                old = null;
            }
            AtomicFile.syncDirectory(dir);
        }

        @Override
        public void discard() throws IOException {
            if (temp != null) {
                Files.deleteIfExists(temp);
            }
            if (old != null) {
                Files.deleteIfExists(old);
            }
        }
    }

    /** Deletes {@code path} by renaming it to {@code aside}, removed once every step is done. */
    final class Delete implements StagedChange {
        private final Path path;
        private final Path aside;
        private final boolean pruneParent;
        private boolean moved;

        Delete(Path path, Path aside, boolean pruneParent) {
            this.path = path;
            this.aside = aside;
            this.pruneParent = pruneParent;
        }

        @Override
        public Path path() {
            return path;
        }

        @Override
        public String line() {
            return "delete ";
        }

        @Override
        public void apply() throws IOException {
            Files.move(path, aside, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
        }

        @Override
        public void undo() throws IOException {
            Files.move(aside, path, StandardCopyOption.ATOMIC_MOVE);
            moved = false;
        }

        @Override
        public void discard() throws IOException {
            if (moved) {
                Files.deleteIfExists(aside);
            }
        }

        @Override
        public void finish() {
            if (pruneParent) {
                // the aside file is still there until discard: prune after removing it
                try {
                    discard();
                } catch (IOException e) {
                    return;
                }
                FileTransaction.pruneEmpty(path.toAbsolutePath().getParent());
            }
        }
    }

    /**
     * Changes the permissions of {@code path} from {@code old} to {@code mode}, never through a symlink: a link put
     * there after staging is refused, and its target keeps its mode.
     */
    record Chmod(Path path, Set<PosixFilePermission> old, Set<PosixFilePermission> mode) implements StagedChange {
        @Override
        public String line() {
            return "chmod ";
        }

        @Override
        public void apply() throws IOException {
            FileModes.set(path, mode);
        }

        @Override
        public void undo() throws IOException {
            FileModes.set(path, old);
        }

        @Override
        public void discard() {}
    }
}
