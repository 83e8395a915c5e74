package dev.tandem.core.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Changes a file's mode without ever following a symlink. {@link Files#setPosixFilePermissions} follows a link, and
 * so does a {@code NOFOLLOW_LINKS} attribute view of the path on Linux; a link put where a file was (by another
 * program, between the moment Tandem looked and the change) would then have its target's mode changed, such as a
 * private key made readable by all. The change goes through the parent folder's {@link SecureDirectoryStream}, whose
 * view refuses a link (ELOOP); where the folder gives none, the file is checked right before instead.
 */
public final class FileModes {
    private FileModes() {}

    /**
     * Sets the permissions of {@code file}, a regular file or a folder.
     *
     * @throws FileSystemException naming {@code file} when it is a symlink or a special file (nothing is changed)
     */
    public static void set(Path file, Set<PosixFilePermission> mode) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Path name = file.getFileName();
        if (parent != null && name != null) {
            try {
                if (setThroughFolder(file, parent, name, mode)) {
                    return;
                }
            } catch (AccessDeniedException e) {
                // the folder cannot be listed, or the view's O_RDONLY open of a file its owner cannot read was
                // refused, where a plain chmod works: the file is checked right before instead, as below
            }
        }
        refuseUnlessPlain(file, Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
        Files.setPosixFilePermissions(file, mode);
    }

    /** Sets the mode through the parent folder's stream; false when the folder gives no such stream. */
    private static boolean setThroughFolder(Path file, Path parent, Path name, Set<PosixFilePermission> mode)
            throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent)) {
            if (ds instanceof SecureDirectoryStream<Path> sds) {
                PosixFileAttributeView view =
                        sds.getFileAttributeView(name, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
                // checked first: the view opens the file to change it, and opening a FIFO would block
                refuseUnlessPlain(file, view.readAttributes());
                try {
                    view.setPermissions(mode);
                } catch (AccessDeniedException e) {
                    throw e;
                } catch (FileSystemException e) {
                    throw refusedOr(file, e);
                }
                return true;
            }
        }
        return false;
    }

    private static void refuseUnlessPlain(Path file, BasicFileAttributes a) throws FileSystemException {
        if (a.isSymbolicLink()) {
            throw linkRefused(file);
        }
        if (!a.isRegularFile() && !a.isDirectory()) {
            throw new FileSystemException(
                    file.toString(), null, "is not a regular file (a FIFO, socket or device); its mode is left alone");
        }
    }

    /** A link swapped in between the check and the change fails with ELOOP: said as the refusal it is. */
    private static FileSystemException refusedOr(Path file, FileSystemException e) {
        if (Files.isSymbolicLink(file)) {
            return linkRefused(file);
        }
        return e;
    }

    private static FileSystemException linkRefused(Path file) {
        return new FileSystemException(
                file.toString(),
                null,
                "is a symbolic link (it replaced the file since Tandem looked); Tandem never changes a mode through a"
                        + " link, so nothing was changed");
    }
}
