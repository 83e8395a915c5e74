package dev.tandem.core.fs;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * open(2) with {@code O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC} through JNA, which the JDK cannot do: opening a FIFO for
 * reading without {@code O_NONBLOCK} blocks until a writer comes. The descriptor is then looked at and reopened by
 * the JDK through {@code /proc/self/fd/N} (Linux) or {@code /dev/fd/N} (macOS), which name exactly the file that was
 * opened, whatever happened to its name since.
 *
 * <p>Flag values differ between systems and, on Linux, between architectures (asm-generic/fcntl.h and
 * arch/arm64/include/uapi/asm/fcntl.h); where they are not known here, {@link #available()} is false and callers
 * fall back to the JDK's blocking open.
 */
public final class NonBlockingOpen {
    private static final int ENOENT = 2;
    private static final int ENXIO = 6;
    private static final int EACCES = 13;
    private static final int EEXIST = 17;
    private static final int ENOTDIR = 20;
    /** The mode a new folder is created with before the umask applies, as {@code Files.createDirectory} does. */
    private static final int FOLDER_MODE = 0777;

    /** The C library, mapped with {@code errno} turned into {@link LastErrorException}. */
    public interface LibC extends Library {
        int open(String path, int flags) throws LastErrorException;

        int openat(int dirfd, String path, int flags) throws LastErrorException;

        int close(int fd) throws LastErrorException;

        int mkdirat(int dirfd, String path, int mode) throws LastErrorException;
    }

    private record Flags(int nonblock, int nofollow, int cloexec, int directory, int eloop, String fdDir) {}

    private static final Optional<Flags> FLAGS = flags();
    private static final Optional<LibC> LIBC = FLAGS.flatMap(f -> load());

    private NonBlockingOpen() {}

    /** Returns whether opens here never block. */
    public static boolean available() {
        return LIBC.isPresent();
    }

    /** Opens {@code file} for reading; the last name is never followed if it is a symbolic link. */
    public static Descriptor openFile(Path file) throws FileSystemException {
        Flags f = FLAGS.orElseThrow();
        return open(file, f.nonblock() | f.nofollow() | f.cloexec(), f);
    }

    /** Opens folder {@code dir}; the last name is never followed if it is a symbolic link. */
    public static Descriptor openDirectory(Path dir) throws FileSystemException {
        Flags f = FLAGS.orElseThrow();
        return open(dir, f.nonblock() | f.nofollow() | f.cloexec() | f.directory(), f);
    }

    /**
     * Opens folder {@code dir}, following symbolic links on the way (the last name too): for a folder the person may
     * keep behind a link (a {@code ~/.claude} linked to a dotfiles checkout). A FIFO or anything else that is not a
     * folder is refused at once ({@code O_DIRECTORY}), never waited on.
     */
    public static Descriptor openDirectoryFollowing(Path dir) throws FileSystemException {
        Flags f = FLAGS.orElseThrow();
        return open(dir, f.nonblock() | f.cloexec() | f.directory(), f);
    }

    /**
     * Opens file {@code name} inside the folder open as {@code dir} for reading with openat(2): never blocking (a
     * FIFO opens at once, to be refused by its type), never following {@code name} if it is a symbolic link, and
     * reached from the open folder whatever has happened since to the names leading to it.
     *
     * @param shown the path named in an error
     */
    public static Descriptor openFileAt(Descriptor dir, String name, Path shown) throws FileSystemException {
        Flags f = FLAGS.orElseThrow();
        try {
            int fd = dir.libc().openat(dir.fd(), name, f.nonblock() | f.nofollow() | f.cloexec());
            return new Descriptor(fd, Path.of(f.fdDir(), Integer.toString(fd)), dir.libc());
        } catch (LastErrorException e) {
            throw failure(shown, e.getErrorCode(), f);
        }
    }

    /**
     * Opens folder {@code name} inside the folder open as {@code dir} with openat(2): never blocking, never following
     * {@code name} if it is a symbolic link, and reached from the open folder whatever has happened since to the
     * names leading to it.
     *
     * @param shown the path named in an error
     */
    public static Descriptor openDirectoryAt(Descriptor dir, String name, Path shown) throws FileSystemException {
        Flags f = FLAGS.orElseThrow();
        try {
            int fd = dir.libc().openat(dir.fd(), name, f.nonblock() | f.nofollow() | f.cloexec() | f.directory());
            return new Descriptor(fd, Path.of(f.fdDir(), Integer.toString(fd)), dir.libc());
        } catch (LastErrorException e) {
            throw failure(shown, e.getErrorCode(), f);
        }
    }

    /**
     * Creates folder {@code name} inside the folder open as {@code dir} with mkdirat(2): the new folder's place is
     * the open folder itself, whatever has happened since to the names leading to it.
     *
     * @param shown the path named in an error
     */
    public static void createDirectory(Descriptor dir, String name, Path shown) throws FileSystemException {
        try {
            dir.libc().mkdirat(dir.fd(), name, FOLDER_MODE);
        } catch (LastErrorException e) {
            throw failure(shown, e.getErrorCode(), FLAGS.orElseThrow());
        }
    }

    private static Descriptor open(Path p, int flags, Flags f) throws FileSystemException {
        LibC libc = LIBC.orElseThrow();
        try {
            int fd = libc.open(p.toString(), flags);
            return new Descriptor(fd, Path.of(f.fdDir(), Integer.toString(fd)), libc);
        } catch (LastErrorException e) {
            throw failure(p, e.getErrorCode(), f);
        }
    }

    private static FileSystemException failure(Path p, int errno, Flags f) {
        String path = p.toString();
        if (errno == f.eloop()) {
            return new FileSystemException(path, null, "is a symbolic link");
        }
        return switch (errno) {
            case ENOENT -> new NoSuchFileException(path);
            case EEXIST -> new FileAlreadyExistsException(path);
            case EACCES -> new AccessDeniedException(path);
            case ENOTDIR -> new NotDirectoryException(path);
            case ENXIO -> new FileSystemException(path, null, "not a regular file (a socket or device)");
            default -> new FileSystemException(path, null, "cannot be opened (errno " + errno + ")");
        };
    }

    /** An open descriptor, named by its {@code /proc/self/fd} path while it is open. */
    public record Descriptor(int fd, Path path, LibC libc) implements AutoCloseable {
        @Override
        public void close() {
            try {
                libc.close(fd);
            } catch (LastErrorException e) {
                // close(2) failing on a read-only descriptor loses nothing
            }
        }
    }

    private static Optional<Flags> flags() {
        if (Platform.isMac()) {
            return Optional.of(new Flags(0x0004, 0x0100, 0x1000000, 0x100000, 62, "/dev/fd"));
        }
        if (!Platform.isLinux()) {
            return Optional.empty();
        }
        return switch (Platform.ARCH) {
            case "x86-64", "x86", "riscv64", "s390x", "loongarch64" ->
                Optional.of(new Flags(04000, 0400000, 02000000, 0200000, 40, "/proc/self/fd"));
            case "aarch64", "arm", "armel" ->
                Optional.of(new Flags(04000, 0100000, 02000000, 040000, 40, "/proc/self/fd"));
            default -> Optional.empty();
        };
    }

    private static Optional<LibC> load() {
        try {
            return Optional.of(Native.load("c", LibC.class));
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return Optional.empty(); // no native support here: callers use the JDK's open
        }
    }
}
