package dev.tandem.hub.fs;

import dev.tandem.core.fs.NonBlockingOpen;
import dev.tandem.core.fs.NotRegularFileException;
import dev.tandem.core.fs.RegularFiles;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * An open folder inside a root, reached from the root one name at a time without following symbolic links.
 *
 * <p>On Linux the JDK offers {@link SecureDirectoryStream} (openat/renameat), so once the folder is open a
 * concurrent swap of a parent for a symbolic link cannot redirect a read or a write. Elsewhere it falls back to
 * paths with {@link LinkOption#NOFOLLOW_LINKS} on the last name.
 */
final class SafeDir implements Closeable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private final Path path;
    private final Optional<SecureDirectoryStream<Path>> stream;

    private SafeDir(Path path, Optional<SecureDirectoryStream<Path>> stream) {
        this.path = path;
        this.stream = stream;
    }

    /** Opens {@code dir} (a real path inside {@code root}) walking down from {@code root} without following links. */
    @SuppressWarnings("StreamResourceLeak") // the open stream is handed to the SafeDir, which closes it
    static SafeDir open(Path root, Path dir) throws IOException {
        DirectoryStream<Path> top = Files.newDirectoryStream(root);
        if (!(top instanceof SecureDirectoryStream<Path> current)) {
            top.close();
            return fallback(dir);
        }
        try {
            Path at = root;
            for (Path name : root.relativize(dir)) {
                if (name.toString().isEmpty()) {
                    continue;
                }
                at = at.resolve(name);
                // openat(2) of a folder swapped for a FIFO would wait for a writer: open without blocking first
                Optional<SecureDirectoryStream<Path>> opened = RegularFiles.openDirectory(at, current, name.toString());
                SecureDirectoryStream<Path> next =
                        opened.isPresent() ? opened.get() : current.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS);
                current.close();
                current = next;
            }
            return new SafeDir(dir, Optional.of(current));
        } catch (IOException | RuntimeException e) {
            current.close();
            throw e;
        }
    }

    private static SafeDir fallback(Path dir) throws IOException {
        if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, NOFOLLOW)) {
            throw new java.nio.file.NotDirectoryException(dir.toString());
        }
        return new SafeDir(dir, Optional.empty());
    }

    /** Returns the attributes of {@code name} itself (a link is not followed), if it exists. */
    Optional<BasicFileAttributes> attributes(String name) {
        try {
            if (stream.isPresent()) {
                return Optional.of(stream.get()
                        .getFileAttributeView(
                                Path.of(name), java.nio.file.attribute.BasicFileAttributeView.class, NOFOLLOW)
                        .readAttributes());
            }
            return Optional.of(Files.readAttributes(path.resolve(name), BasicFileAttributes.class, NOFOLLOW));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Reads all of regular file {@code name}; a symbolic link is not followed. The file is opened without blocking
     * and must be the regular file this folder lists under that name ({@link RegularFiles}), so a FIFO swapped in
     * is refused, never waited on.
     */
    byte[] read(String name, long maxBytes) throws IOException {
        try (FileChannel ch = open(name)) {
            return RegularFiles.readAll(path.resolve(name), ch, maxBytes);
        }
    }

    /** Opens regular file {@code name} for reading, as {@link #read} does; the caller closes the channel. */
    FileChannel open(String name) throws IOException {
        BasicFileAttributes listed =
                attributes(name).orElseThrow(() -> new java.nio.file.NoSuchFileException(path.resolve(name) + ""));
        return RegularFiles.open(path.resolve(name), Optional.ofNullable(listed.fileKey()));
    }

    /**
     * Replaces (or creates) {@code name} with {@code content} atomically: a new temp file beside it, flushed, then
     * renamed over it. The temp file is created with CREATE_NEW, so it never opens an existing file or link. The
     * old file's read and write permissions are kept, its execute bits never.
     */
    void writeAtomically(String name, byte[] content) throws IOException {
        Optional<Set<PosixFilePermission>> perms = permissions(name);
        String tmp = "." + name.substring(0, Math.min(name.length(), 100)) + ".tandem-"
                + HexFormat.of().toHexDigits(RANDOM.nextLong()) + ".tmp";
        try {
            Set<OpenOption> opts =
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            try (SeekableByteChannel ch = channel(tmp, opts)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                if (ch instanceof FileChannel fc) {
                    fc.force(true);
                }
            }
            if (perms.isPresent()) {
                setPermissions(tmp, withoutExecute(perms.get()));
            }
            move(tmp, name);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    /**
     * Returns {@code perms} without any execute bit: a file the agent wrote must never become a program (a hook, a
     * script on the PATH) that runs as the person. Set-user-ID and set-group-ID bits are not in a {@link
     * PosixFilePermission} set at all, so the new file never has them either.
     */
    static Set<PosixFilePermission> withoutExecute(Set<PosixFilePermission> perms) {
        Set<PosixFilePermission> out = java.util.EnumSet.noneOf(PosixFilePermission.class);
        out.addAll(perms);
        out.removeAll(Set.of(
                PosixFilePermission.OWNER_EXECUTE,
                PosixFilePermission.GROUP_EXECUTE,
                PosixFilePermission.OTHERS_EXECUTE));
        return out;
    }

    /**
     * Creates sub-folder {@code name}; fails if anything, a link included, already has that name. The folder is
     * made inside this open folder (mkdirat(2) on a descriptor checked to be this very folder), so a parent swapped
     * for a symbolic link meanwhile cannot put it anywhere else.
     */
    void createFolder(String name) throws IOException {
        try {
            create(name);
        } catch (FileAlreadyExistsException e) {
            if (attributes(name).map(BasicFileAttributes::isDirectory).orElse(false)) {
                return; // made by a concurrent writer: fine, it is a real folder
            }
            throw e;
        }
    }

    private void create(String name) throws IOException {
        if (stream.isEmpty() || !NonBlockingOpen.available()) {
            createByPath(name);
            return;
        }
        Object key = stream.get()
                .getFileAttributeView(java.nio.file.attribute.BasicFileAttributeView.class)
                .readAttributes()
                .fileKey();
        // the JDK does not hand out the stream's descriptor: open the folder again by its path and keep that
        // descriptor only if it is the same folder (device and inode; the open stream keeps the inode in use)
        try (NonBlockingOpen.Descriptor fd = NonBlockingOpen.openDirectory(path)) {
            Object opened =
                    Files.readAttributes(fd.path(), BasicFileAttributes.class).fileKey();
            if (key == null || !key.equals(opened)) {
                throw new NotRegularFileException(path.toString(), "changed while a folder was being created in it");
            }
            NonBlockingOpen.createDirectory(fd, name, path.resolve(name));
        }
    }

    /**
     * Creates {@code name} by its path, where no descriptor can be created through (systems other than Linux and
     * macOS): a parent swapped for a link at that moment gets the empty folder. What this open folder then lists
     * must be a folder by that name, or the write is refused (docs/security.md).
     */
    private void createByPath(String name) throws IOException {
        Files.createDirectory(path.resolve(name));
        if (stream.isPresent()
                && !attributes(name).map(BasicFileAttributes::isDirectory).orElse(false)) {
            throw new NotRegularFileException(
                    path.resolve(name).toString(), "changed while being created (its parent was swapped)");
        }
    }

    private Optional<Set<PosixFilePermission>> permissions(String name) {
        try {
            PosixFileAttributeView view = stream.isPresent()
                    ? stream.get().getFileAttributeView(Path.of(name), PosixFileAttributeView.class, NOFOLLOW)
                    : Files.getFileAttributeView(path.resolve(name), PosixFileAttributeView.class, NOFOLLOW);
            return view == null
                    ? Optional.empty()
                    : Optional.of(view.readAttributes().permissions());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void setPermissions(String name, Set<PosixFilePermission> perms) throws IOException {
        PosixFileAttributeView view = stream.isPresent()
                ? stream.get().getFileAttributeView(Path.of(name), PosixFileAttributeView.class, NOFOLLOW)
                : Files.getFileAttributeView(path.resolve(name), PosixFileAttributeView.class, NOFOLLOW);
        if (view != null) {
            view.setPermissions(perms);
        }
    }

    private SeekableByteChannel channel(String name, Set<? extends OpenOption> options) throws IOException {
        if (stream.isPresent()) {
            return stream.get().newByteChannel(Path.of(name), options);
        }
        return Files.newByteChannel(path.resolve(name), options);
    }

    private void move(String from, String to) throws IOException {
        if (stream.isPresent()) {
            stream.get().move(Path.of(from), stream.get(), Path.of(to));
        } else {
            Files.move(path.resolve(from), path.resolve(to), StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private void deleteQuietly(String name) {
        try {
            if (stream.isPresent()) {
                stream.get().deleteFile(Path.of(name));
            } else {
                Files.deleteIfExists(path.resolve(name));
            }
        } catch (IOException e) {
            // the temp file was never created, or is already gone
        }
    }

    @Override
    public void close() throws IOException {
        if (stream.isPresent()) {
            stream.get().close();
        }
    }
}
