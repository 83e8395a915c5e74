package dev.tandem.sync.engine;

import dev.tandem.core.fs.NonBlockingOpen;
import dev.tandem.core.fs.NotRegularFileException;
import dev.tandem.core.fs.RegularFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a file Tandem deploys and owns whole (a skill, a command, a memory file) strictly: never through a symlink,
 * never a FIFO or device, and only when the file stayed the same inode while it was read. Unlike {@link
 * Contents#read}, which follows a link to the regular file it names, a link here is refused even when it is put
 * there after every earlier check: the file is opened relative to its folder ({@link SecureDirectoryStream}) with
 * {@code NOFOLLOW_LINKS}, so a link fails the open (ELOOP) instead of being read. The folder and the file are opened
 * without blocking ({@link NonBlockingOpen}, {@link RegularFiles#openAt}): a FIFO put in place of either after the
 * check is refused at once, never waited on, and the open file's type and identity are read from its descriptor and
 * must be those checked through the folder.
 *
 * <p>Before and after the read the file is {@code lstat}ed; the same inode ({@code fileKey}), link count, size,
 * mtime and ctime are required, so a hard link to another file swapped in and back (a rename changes the ctime) is
 * noticed. The caller decides from {@link Read#links()} and the SAME bytes whether a file with several hard links is
 * one it may read (push's own bytes in a home copied with {@code cp -al}).
 */
public final class DeployedFile {
    /** A deployed skill, command or memory file is text; anything larger is refused before it is read. */
    public static final long MAX_BYTES = 64L << 20;

    private static final String UNIX = "unix:fileKey,nlink,ctime,size,lastModifiedTime";

    private DeployedFile() {}

    /**
     * What was read: the file's bytes, how many hard links it had while it was read, and the identity of the folder it
     * was read from.
     */
    public static final class Read {
        private final byte[] bytes;
        private final int links;
        private final Optional<Object> folder;

        Read(byte[] bytes, int links, Optional<Object> folder) {
            this.bytes = bytes;
            this.links = links;
            this.folder = folder;
        }

        public byte[] bytes() {
            return bytes.clone();
        }

        public int links() {
            return links;
        }

        /**
         * Returns the {@code fileKey} (device and inode) of the folder the file was read from, held open while it was
         * read: a folder swapped for a link to another one, by the file's path or any folder above it, gives another.
         */
        public Optional<Object> folder() {
            return folder;
        }
    }

    /** Returns the {@code fileKey} of the folder {@code file} is in now, links followed; empty if it has none. */
    public static Optional<Object> folderOf(Path file) {
        try {
            return Optional.ofNullable(
                    Files.readAttributes(file.toAbsolutePath().getParent(), BasicFileAttributes.class)
                            .fileKey());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Reads {@code path} strictly, empty when nothing is there.
     *
     * @throws InputException naming {@code path} when it is a symlink, not a regular file, larger than {@link
     *     #MAX_BYTES}, or changed while it was read
     */
    public static Optional<Read> read(Path path) {
        Path abs = path.toAbsolutePath();
        Path parent = abs.getParent();
        Path name = abs.getFileName();
        if (NonBlockingOpen.available()) {
            // the JDK opens a folder for a SecureDirectoryStream with a plain open(2), which waits forever on a FIFO
            // put in the folder's place: the folder is opened without blocking, and listed through that descriptor
            try (NonBlockingOpen.Descriptor fd = NonBlockingOpen.openDirectoryFollowing(parent);
                    DirectoryStream<Path> dir = Files.newDirectoryStream(fd.path())) {
                return read(path, abs, name, dir, Optional.of(fd));
            } catch (NoSuchFileException | NotDirectoryException e) {
                return Optional.empty();
            } catch (IOException e) {
                throw new UncheckedIOException(path + ": cannot read: " + Failures.describe(e), e);
            }
        }
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(parent)) {
            return read(path, abs, name, dir, Optional.empty());
        } catch (NoSuchFileException | NotDirectoryException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": cannot read: " + Failures.describe(e), e);
        }
    }

    /**
     * Reads the file {@code target} deploys strictly, refusing one with more than one hard link unless it holds bytes
     * the target may share ({@link Target#mayShare}): decided from the same bytes that are returned.
     *
     * @throws InputException naming the file, as {@link #read}, or when it is hard-linked to another's bytes
     */
    public static Optional<byte[]> owned(Target target) {
        Path path = target.path();
        Optional<Read> read = read(path);
        if (read.isEmpty()) {
            return Optional.empty();
        }
        byte[] bytes = read.get().bytes();
        if (read.get().links() > 1 && !target.mayShare(bytes)) {
            throw InputException.of(
                    path,
                    "has " + read.get().links() + " hard links, so it shares its bytes with another file, where tandem"
                            + " deploys a file it owns; it neither reads nor keeps it: delete it and run the command"
                            + " again");
        }
        return Optional.of(bytes);
    }

    private static Optional<Read> read(
            Path path, Path abs, Path name, DirectoryStream<Path> dir, Optional<NonBlockingOpen.Descriptor> fd) {
        try {
            if (!(dir instanceof SecureDirectoryStream<Path> folder)) {
                return pathBased(path);
            }
            BasicFileAttributeView view =
                    folder.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
            BasicFileAttributes before;
            try {
                before = view.readAttributes();
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
            check(path, before);
            Map<String, Object> unixBefore = unix(abs);
            if (!Objects.equals(unixBefore.get("fileKey"), before.fileKey())) {
                throw changed(path);
            }
            byte[] bytes;
            try (SeekableByteChannel ch = open(folder, fd, name, path, before.fileKey());
                    InputStream in = Channels.newInputStream(ch)) {
                bytes = in.readNBytes((int) MAX_BYTES + 1);
            } catch (NoSuchFileException e) {
                throw changed(path);
            } catch (IOException e) {
                // ELOOP: a link was put there after the check above; or another file, a FIFO or a device (refused)
                BasicFileAttributes now = view.readAttributes();
                check(path, now);
                if (e instanceof NotRegularFileException) {
                    throw changed(path);
                }
                throw e;
            }
            BasicFileAttributes after = view.readAttributes();
            Map<String, Object> unixAfter = unix(abs);
            if (bytes.length > MAX_BYTES) {
                throw tooLarge(path);
            }
            if (!Objects.equals(before.fileKey(), after.fileKey())
                    || !unixBefore.equals(unixAfter)
                    || before.size() != after.size()
                    || bytes.length != after.size()
                    || !before.lastModifiedTime().equals(after.lastModifiedTime())) {
                throw changed(path);
            }
            Object opened = folder.getFileAttributeView(BasicFileAttributeView.class)
                    .readAttributes()
                    .fileKey();
            return Optional.of(
                    new Read(bytes, ((Number) unixAfter.get("nlink")).intValue(), Optional.ofNullable(opened)));
        } catch (NoSuchFileException e) {
            throw changed(path);
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": cannot read: " + Failures.describe(e), e);
        }
    }

    private static void check(Path path, BasicFileAttributes a) {
        if (a.isSymbolicLink()) {
            throw InputException.of(
                    path,
                    "is a symlink (to " + linkTarget(path) + ") where tandem deploys a file it owns, and it never"
                            + " reads through a link there: delete the link and run the command again");
        }
        if (!a.isRegularFile()) {
            throw InputException.of(
                    path,
                    "is " + RegularFile.kind(path, a) + ", not a regular file; tandem sync reads and writes regular"
                            + " files only");
        }
        if (a.size() > MAX_BYTES) {
            throw tooLarge(path);
        }
    }

    /**
     * Opens {@code name} of {@code folder} for reading. With a non-blocking open ({@code fd}, the folder's own
     * descriptor) the open is relative to that folder, never waits (a FIFO swapped in after the check is refused, not
     * waited on) and must give the regular file with {@code fileKey}, the one checked through {@code folder}.
     * Without one, the JDK's open relative to {@code folder}, which a FIFO swapped in at that moment blocks.
     */
    private static SeekableByteChannel open(
            SecureDirectoryStream<Path> folder,
            Optional<NonBlockingOpen.Descriptor> fd,
            Path name,
            Path path,
            Object fileKey)
            throws IOException {
        if (fd.isPresent()) {
            return RegularFiles.openAt(fd.get(), name.toString(), path, fileKey);
        }
        return folder.newByteChannel(name, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
    }

    private static Map<String, Object> unix(Path abs) throws IOException {
        return Files.readAttributes(abs, UNIX, LinkOption.NOFOLLOW_LINKS);
    }

    private static Optional<Read> pathBased(Path path) {
        // no SecureDirectoryStream on this platform: the lstat-checked read, with no link count to give
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            check(path, a);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": cannot read: " + Failures.describe(e), e);
        }
        return Contents.read(path).map(b -> new Read(b, 1, folderOf(path)));
    }

    private static InputException tooLarge(Path path) {
        return InputException.of(
                path,
                "is larger than " + (MAX_BYTES >> 20) + " MiB, which no file tandem deploys is: tandem does not read"
                        + " it; delete it and run the command again");
    }

    private static InputException changed(Path path) {
        return InputException.of(
                path,
                "changed while tandem read it (another program is writing or replacing it): run the command again");
    }

    private static String linkTarget(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "somewhere it cannot say";
        }
    }
}
