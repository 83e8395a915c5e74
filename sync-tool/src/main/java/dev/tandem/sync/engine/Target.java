package dev.tandem.sync.engine;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One file the sync tool manages: how its desired content follows from its actual content.
 *
 * <p>Rendering is a pure function of the actual bytes, so the writer can re-read a file right before writing it
 * and render again when someone changed it in between.
 */
public interface Target {
    Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
    Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");
    Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("rwx------");

    Path path();

    /** Returns the desired content for the actual content; empty means the file should not exist. */
    Optional<byte[]> render(Optional<byte[]> actual);

    /** Lists what differs, judged on values where the format has them; empty when the difference is cosmetic. */
    default List<Drift> drift(Optional<byte[]> actual, Optional<byte[]> desired) {
        return Contents.drift(path(), actual, desired);
    }

    /** Returns the permissions of a file this target creates. */
    default Set<PosixFilePermission> newFileMode() {
        return PUBLIC;
    }

    /** Returns whether the file must be executable by its owner. */
    default boolean executable() {
        return false;
    }

    /**
     * Returns whether a symlink at {@link #path} is followed and the file it names written (a person's document,
     * which a dotfiles checkout may link), rather than the path itself replaced (a file Tandem owns).
     */
    default boolean followsLinks() {
        return true;
    }

    /**
     * Returns whether a file Tandem owns whole ({@code !followsLinks()}) that has more than one hard link may be read
     * when it holds {@code bytes}: only push's own bytes (a home copied with {@code cp -al}), never another's.
     */
    default boolean mayShare(byte[] bytes) {
        return false;
    }

    /**
     * Checks the path again right before the file is staged, so a link put in place since planning is refused.
     *
     * @throws InputException when the path may not be written now
     */
    default void checkPath() {}

    /** Returns whether an emptied parent directory goes too when the file is deleted (a skill's folder). */
    default boolean pruneParent() {
        return false;
    }

    /** Returns a target that applies this one, then {@code next}, to the same file. */
    default Target then(Target next) {
        Target first = this;
        return new Target() {
            @Override
            public Path path() {
                return next.path();
            }

            @Override
            public Optional<byte[]> render(Optional<byte[]> actual) {
                return next.render(first.render(actual));
            }

            @Override
            public List<Drift> drift(Optional<byte[]> actual, Optional<byte[]> desired) {
                return next.drift(actual, desired);
            }

            @Override
            public Set<PosixFilePermission> newFileMode() {
                return next.newFileMode();
            }

            @Override
            public boolean executable() {
                return next.executable();
            }

            @Override
            public boolean followsLinks() {
                return first.followsLinks() && next.followsLinks();
            }

            @Override
            public boolean mayShare(byte[] bytes) {
                return first.mayShare(bytes) && next.mayShare(bytes);
            }

            @Override
            public void checkPath() {
                first.checkPath();
                next.checkPath();
            }

            @Override
            public boolean pruneParent() {
                return first.pruneParent() || next.pruneParent();
            }
        };
    }
}
