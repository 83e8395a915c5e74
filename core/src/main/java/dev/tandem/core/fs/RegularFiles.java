package dev.tandem.core.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Opens files for reading so that nothing can make the open block, and checks the type on the descriptor that is
 * then read: a regular file, or refused.
 *
 * <p>Checking a path first and opening it afterwards leaves a moment in which another process can swap the file for
 * a FIFO, and opening a FIFO for reading waits for a writer, maybe forever. Here the open itself never waits
 * ({@link NonBlockingOpen}), the type and identity are read from the open descriptor, and only a regular file is
 * handed on. Where no non-blocking open is available (systems other than Linux and macOS) the JDK's open is used
 * after a check of the path, with that moment left open.
 */
public final class RegularFiles {
    private RegularFiles() {}

    /**
     * Opens regular file {@code file} for reading; its last name is never followed as a symbolic link.
     *
     * @param expectedKey the {@link BasicFileAttributes#fileKey()} the caller saw when it checked the file; a file
     *     with another identity now (replaced since) is refused
     * @throws NotRegularFileException naming the file when it is not a regular file or changed since it was checked
     */
    public static FileChannel open(Path file, Optional<Object> expectedKey) throws IOException {
        if (!NonBlockingOpen.available()) {
            BasicFileAttributes attrs =
                    Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            check(file, attrs, expectedKey);
            return FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        }
        try (NonBlockingOpen.Descriptor fd = NonBlockingOpen.openFile(file)) {
            check(file, Files.readAttributes(fd.path(), BasicFileAttributes.class), expectedKey);
            return FileChannel.open(fd.path(), StandardOpenOption.READ);
        }
    }

    /**
     * Opens regular file {@code name} of the folder open as {@code folder} for reading, with openat(2) from that
     * descriptor: the open never blocks, {@code name} is never followed if it is a symbolic link, and the type and
     * identity are read from the descriptor that is opened, so a FIFO, a link or another file put under {@code name}
     * after the caller's check is refused at once. Only where {@link NonBlockingOpen#available}, which opened {@code
     * folder}.
     *
     * @param shown the path named in an error
     * @param expectedKey the {@link BasicFileAttributes#fileKey()} the caller saw through the same open folder
     * @throws NotRegularFileException naming {@code shown} when it is not a regular file or not the one checked
     */
    public static FileChannel openAt(NonBlockingOpen.Descriptor folder, String name, Path shown, Object expectedKey)
            throws IOException {
        try (NonBlockingOpen.Descriptor fd = NonBlockingOpen.openFileAt(folder, name, shown)) {
            check(shown, Files.readAttributes(fd.path(), BasicFileAttributes.class), Optional.ofNullable(expectedKey));
            return FileChannel.open(fd.path(), StandardOpenOption.READ);
        }
    }

    /**
     * Reads all of regular file {@code file}, refusing one larger than {@code maxBytes} ({@link
     * FileTooLargeException}); see {@link #open}.
     */
    public static byte[] read(Path file, Optional<Object> expectedKey, long maxBytes) throws IOException {
        try (FileChannel ch = open(file, expectedKey)) {
            return readAll(file, ch, maxBytes);
        }
    }

    /** Reads {@code ch} to its end, refusing more than {@code maxBytes} ({@link FileTooLargeException}). */
    public static byte[] readAll(Path file, FileChannel ch, long maxBytes) throws IOException {
        long size = ch.size();
        if (size > maxBytes) {
            throw new FileTooLargeException(file.toString(), size, maxBytes);
        }
        ByteBuffer buf = ByteBuffer.allocate((int) size);
        while (buf.hasRemaining() && ch.read(buf) >= 0) {
            // read until full or end of file
        }
        return buf.position() == buf.capacity() ? buf.array() : Arrays.copyOf(buf.array(), buf.position());
    }

    /**
     * Opens folder {@code dir}, which {@code parent} lists under {@code name}, as a secure directory stream, without
     * ever blocking; empty when no non-blocking open is available here (the caller then opens it through {@code
     * parent}).
     *
     * @throws FileSystemException when it is not a folder, is a link, or is not the one {@code parent} lists now
     */
    @SuppressWarnings("StreamResourceLeak") // the stream is returned to the caller, who closes it
    public static Optional<SecureDirectoryStream<Path>> openDirectory(
            Path dir, SecureDirectoryStream<Path> parent, String name) throws IOException {
        if (!NonBlockingOpen.available()) {
            return Optional.empty();
        }
        BasicFileAttributes listed = parent.getFileAttributeView(
                        Path.of(name), java.nio.file.attribute.BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .readAttributes();
        try (NonBlockingOpen.Descriptor fd = NonBlockingOpen.openDirectory(dir)) {
            BasicFileAttributes opened = Files.readAttributes(fd.path(), BasicFileAttributes.class);
            if (!opened.isDirectory()
                    || !listed.isDirectory()
                    || !listed.fileKey().equals(opened.fileKey())) {
                throw new NotRegularFileException(dir.toString(), "changed while being opened");
            }
            DirectoryStream<Path> stream = Files.newDirectoryStream(fd.path());
            if (stream instanceof SecureDirectoryStream<Path> secure) {
                return Optional.of(secure);
            }
            stream.close();
            return Optional.empty();
        }
    }

    /** A folder's entries (as paths under the name it was opened by) and the identity of the folder listed. */
    public record Folder(Object fileKey, List<Path> entries) {}

    /**
     * Lists folder {@code dir} without ever blocking: the JDK opens a folder with a plain open(2), which waits
     * forever when a FIFO has taken the folder's name. Here the folder is opened with {@code O_DIRECTORY |
     * O_NONBLOCK | O_NOFOLLOW} and listed through that descriptor, so a FIFO, a link or anything else put in its
     * place is refused at once.
     *
     * @throws IOException when it is not a folder (now), is a link, or cannot be read
     */
    public static Folder list(Path dir) throws IOException {
        if (!NonBlockingOpen.available()) {
            Object key = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                List<Path> entries = new ArrayList<>();
                stream.forEach(entries::add);
                return new Folder(key, entries);
            }
        }
        try (NonBlockingOpen.Descriptor fd = NonBlockingOpen.openDirectory(dir);
                DirectoryStream<Path> stream = Files.newDirectoryStream(fd.path())) {
            Object key =
                    Files.readAttributes(fd.path(), BasicFileAttributes.class).fileKey();
            List<Path> entries = new ArrayList<>();
            for (Path p : stream) {
                entries.add(dir.resolve(p.getFileName().toString()));
            }
            return new Folder(key, entries);
        } catch (java.nio.file.DirectoryIteratorException e) {
            throw e.getCause();
        }
    }

    private static void check(Path file, BasicFileAttributes attrs, Optional<Object> expectedKey)
            throws FileSystemException {
        if (!attrs.isRegularFile()) {
            throw new NotRegularFileException(
                    file.toString(), attrs.isSymbolicLink() ? "is a symbolic link" : "not a regular file");
        }
        if (expectedKey.isPresent() && !expectedKey.get().equals(attrs.fileKey())) {
            throw new NotRegularFileException(file.toString(), "changed while being opened");
        }
    }
}
