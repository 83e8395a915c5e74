package dev.tandem.sync.engine;

import dev.tandem.core.fs.NonBlockingOpen;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes a file so that a reader, or a crash at any moment, sees either the old or the new content: a temporary
 * file in the same directory, fsync, then rename over the target, then fsync of the directory.
 */
public final class AtomicFile {
    static final String TEMP_SUFFIX = ".tandem-tmp";

    private AtomicFile() {}

    /**
     * Replaces {@code path} with {@code content}. A symlink is followed to the regular file it names, which is
     * replaced while the link stays; an existing file keeps its permissions.
     *
     * @throws InputException when {@code path} is, or links to, anything but a regular file
     */
    public static void write(Path path, byte[] content, Set<PosixFilePermission> newFileMode) throws IOException {
        Path target = RegularFile.resolve(path).orElse(path);
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Set<PosixFilePermission> mode = Files.exists(target, LinkOption.NOFOLLOW_LINKS)
                ? Files.getPosixFilePermissions(target, LinkOption.NOFOLLOW_LINKS)
                : newFileMode;
        Path tmp = temp(dir, target, content, mode);
        try {
            rename(tmp, target);
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes {@code content} with {@code mode} to a new temporary file beside {@code target}, synced to disk. */
    static Path temp(Path dir, Path target, byte[] content, Set<PosixFilePermission> mode) throws IOException {
        Path tmp = Files.createTempFile(
                dir, "." + target.getFileName() + ".", TEMP_SUFFIX, PosixFilePermissions.asFileAttribute(mode));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            // the umask may have taken bits from the mode asked for at creation
            Files.setPosixFilePermissions(tmp, mode);
            return tmp;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** Renames {@code from} over {@code to} atomically where the file system can. */
    static void rename(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static void syncDirectory(Path dir) {
        if (NonBlockingOpen.available()) {
            // a plain open(2) of a folder swapped for a FIFO since the rename would wait for a writer forever
            try (NonBlockingOpen.Descriptor fd = NonBlockingOpen.openDirectoryFollowing(dir);
                    FileChannel ch = FileChannel.open(fd.path(), StandardOpenOption.READ)) {
                ch.force(true);
            } catch (IOException e) {
                // not a folder any more, or no fsync of a folder here; the rename itself is still atomic
            }
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems cannot open a directory for fsync; the rename itself is still atomic
        }
    }
}
