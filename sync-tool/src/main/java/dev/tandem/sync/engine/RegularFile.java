package dev.tandem.sync.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Finds the regular file a path names: the path itself, or the end of its chain of symlinks. Sync reads and writes
 * nothing else: a FIFO would block the read (and a rename over it, or over a device, would replace the node with a
 * file), a directory or socket cannot be read, a dangling link or a loop names no file.
 *
 * <p>The type is checked with {@code lstat} before anything is opened; the open that follows ({@link Contents#read})
 * never blocks and checks the type and identity again on the open descriptor, so a FIFO swapped in after the check is
 * refused, never waited on.
 */
public final class RegularFile {
    /** Linux gives up after this many links in one lookup (MAXSYMLINKS); so does this. */
    private static final int MAX_LINKS = 40;

    private static final int TYPE_MASK = 0170000;
    private static final int FIFO = 0010000;
    private static final int CHARACTER_DEVICE = 0020000;
    private static final int BLOCK_DEVICE = 0060000;
    private static final int SOCKET = 0140000;

    private RegularFile() {}

    /**
     * Returns the regular file {@code path} names, following symlinks (the last link's target path, not its real
     * path), or empty when nothing is there.
     *
     * @throws InputException when {@code path} is, or links to, anything but a regular file, or is a dangling link
     *     or a link loop
     */
    public static Optional<Path> resolve(Path path) {
        return resolved(path).map(Resolved::file);
    }

    /** The regular file a path names and its identity ({@code fileKey}) when it was checked. */
    record Resolved(Path file, Object fileKey) {}

    /** As {@link #resolve}, with the identity of the regular file found, for an open that must find the same. */
    static Optional<Resolved> resolved(Path path) {
        Path current = path;
        for (int links = 0; links <= MAX_LINKS; links++) {
            Optional<BasicFileAttributes> attrs = lstat(current);
            if (attrs.isEmpty()) {
                if (links == 0) {
                    return Optional.empty();
                }
                throw refused(path, "a symlink to " + current + ", which does not exist");
            }
            BasicFileAttributes a = attrs.get();
            if (a.isRegularFile()) {
                return Optional.of(new Resolved(current, a.fileKey()));
            }
            if (!a.isSymbolicLink()) {
                throw refused(path, (links == 0 ? "" : "a symlink to " + current + ", ") + kind(current, a));
            }
            current = target(current);
        }
        throw refused(path, "a symlink loop (more than " + MAX_LINKS + " links)");
    }

    private static InputException refused(Path path, String what) {
        return InputException.of(
                path, "is " + what + ", not a regular file; tandem sync reads and writes regular files only");
    }

    private static Optional<BasicFileAttributes> lstat(Path p) {
        try {
            return Optional.of(Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(p + ": cannot read: " + Failures.describe(e), e);
        }
    }

    private static Path target(Path link) {
        try {
            Path to = Files.readSymbolicLink(link);
            Path parent = link.toAbsolutePath().getParent();
            return parent == null ? to : parent.resolve(to);
        } catch (IOException e) {
            throw new UncheckedIOException(link + ": cannot read the link: " + Failures.describe(e), e);
        }
    }

    /** Returns what a file that is neither regular nor a link is, for a message. */
    static String kind(Path p, BasicFileAttributes a) {
        if (a.isDirectory()) {
            return "a directory";
        }
        try {
            int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return switch (mode & TYPE_MASK) {
                case FIFO -> "a FIFO";
                case SOCKET -> "a socket";
                case CHARACTER_DEVICE -> "a character device";
                case BLOCK_DEVICE -> "a block device";
                default -> "a special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "a special file";
        }
    }
}
