package dev.tandem.core.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps Tandem's own files to their owner: folders {@code 0700}, files {@code 0600}, whatever the umask. Folders
 * and files made before this rule (an older Tandem left {@code ~/.tandem} 0755 and the memory database 0644) are
 * tightened when Tandem next opens them, so other local users read no memory, token or backup.
 */
public final class OwnerOnly {
    public static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private OwnerOnly() {}

    /**
     * Makes {@code dir} and any missing parent with mode 0700, and takes group and others' bits from {@code dir} if
     * it already existed. Returns {@code dir}.
     */
    public static Path dir(Path dir) {
        try {
            List<Path> missing = new ArrayList<>();
            for (Path d = dir.toAbsolutePath();
                    d != null && !Files.exists(d, LinkOption.NOFOLLOW_LINKS);
                    d = d.getParent()) {
                missing.add(d);
            }
            for (int i = missing.size() - 1; i >= 0; i--) {
                Files.createDirectory(missing.get(i), PosixFilePermissions.asFileAttribute(DIR));
                FileModes.set(missing.get(i), DIR); // the umask may have taken bits
            }
            tighten(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot make it private to its owner: " + e.getMessage(), e);
        }
    }

    /** Takes group and others' bits from {@code file}, if it exists. */
    public static void file(Path file) {
        try {
            tighten(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot make it private to its owner: " + e.getMessage(), e);
        }
    }

    /** Creates {@code file} empty with mode 0600 unless it exists, then tightens it as {@link #file} does. */
    public static void createFile(Path file) {
        try {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
                } catch (FileAlreadyExistsException e) {
                    // made by another process in between: tightened below
                }
            }
            tighten(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot create it private to its owner: " + e.getMessage(), e);
        }
    }

    private static void tighten(Path path) throws IOException {
        Set<PosixFilePermission> perms;
        try {
            // a symlink is left alone: its target may be anything, and Tandem never follows it to change modes
            if (Files.isSymbolicLink(path)) {
                return;
            }
            perms = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        } catch (UnsupportedOperationException e) {
            return; // no POSIX modes on this file system
        }
        if (perms.stream().anyMatch(OTHERS::contains)) {
            Set<PosixFilePermission> kept = EnumSet.noneOf(PosixFilePermission.class);
            kept.addAll(perms);
            kept.removeAll(OTHERS);
            // never through a link put there since the check above
            FileModes.set(path, kept);
        }
    }
}
