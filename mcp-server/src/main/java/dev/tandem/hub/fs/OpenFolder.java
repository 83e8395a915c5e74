package dev.tandem.hub.fs;

import dev.tandem.core.fs.NonBlockingOpen;
import dev.tandem.core.fs.NotRegularFileException;
import dev.tandem.core.fs.RegularFiles;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A folder open for a walk that never blocks and never leaves it. The top folder is opened by its path, every folder
 * below from its parent's open descriptor by one name, each with {@code O_DIRECTORY | O_NONBLOCK | O_NOFOLLOW}: a
 * name swapped for a FIFO, a link or a file is refused at once instead of waited on or followed, and a folder that is
 * not the one the parent listed (its file key) is refused too. Entries are reached through the open descriptor
 * ({@link #inside}), never through the names above it.
 *
 * <p>Where no non-blocking open is available (systems other than Linux and macOS) folders are opened by path, after
 * a check that the name is a folder and not a link, with the moment between the two left open.
 */
public final class OpenFolder implements AutoCloseable {
    private final Path shown;
    private final Path at;
    private final Object fileKey;
    private final Optional<NonBlockingOpen.Descriptor> fd;

    private OpenFolder(Path shown, Path at, Object fileKey, Optional<NonBlockingOpen.Descriptor> fd) {
        this.shown = shown;
        this.at = at;
        this.fileKey = fileKey;
        this.fd = fd;
    }

    /**
     * Opens folder {@code dir} by its path (its last name is never followed).
     *
     * @throws IOException when it is not a folder, is a link or cannot be opened
     */
    public static OpenFolder open(Path dir) throws IOException {
        if (!NonBlockingOpen.available()) {
            BasicFileAttributes a = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isDirectory()) {
                throw new NotDirectoryException(dir.toString());
            }
            return new OpenFolder(dir, dir, a.fileKey(), Optional.empty());
        }
        return opened(dir, NonBlockingOpen.openDirectory(dir), Optional.empty());
    }

    /**
     * Opens folder {@code name} of this folder, which the caller saw with file key {@code expectedKey}.
     *
     * @throws IOException when it is not a folder now, is a link, is not the one seen, or cannot be opened
     */
    public OpenFolder child(String name, Object expectedKey) throws IOException {
        Path childShown = shown.resolve(name);
        if (fd.isEmpty()) {
            Path p = at.resolve(name);
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isDirectory() || !a.fileKey().equals(expectedKey)) {
                throw new NotRegularFileException(childShown.toString(), "changed while being opened");
            }
            return new OpenFolder(childShown, p, a.fileKey(), Optional.empty());
        }
        return opened(
                childShown, NonBlockingOpen.openDirectoryAt(fd.get(), name, childShown), Optional.of(expectedKey));
    }

    private static OpenFolder opened(Path shown, NonBlockingOpen.Descriptor d, Optional<Object> expectedKey)
            throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(d.path(), BasicFileAttributes.class);
            if (!a.isDirectory()
                    || (expectedKey.isPresent() && !expectedKey.get().equals(a.fileKey()))) {
                throw new NotRegularFileException(shown.toString(), "changed while being opened");
            }
            return new OpenFolder(shown, d.path(), a.fileKey(), Optional.of(d));
        } catch (IOException | RuntimeException e) {
            d.close();
            throw e;
        }
    }

    /** Returns the path this folder is shown by (its name under the top folder). */
    public Path shown() {
        return shown;
    }

    /** Returns the identity of the folder that is open. */
    public Object fileKey() {
        return fileKey;
    }

    /**
     * Returns a path to entry {@code name} of exactly this open folder, for reading its attributes (without
     * following links), its link target or, with {@link RegularFiles#open}, its content.
     */
    public Path inside(String name) {
        return at.resolve(name);
    }

    /** Returns the names of this folder's entries. */
    public List<String> names() throws IOException {
        return names(Integer.MAX_VALUE);
    }

    /** Returns the names of this folder's entries, at most {@code max} of them (a folder may hold millions). */
    public List<String> names(int max) throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(at)) {
            for (Path p : stream) {
                if (out.size() >= max) {
                    break;
                }
                out.add(p.getFileName().toString());
            }
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
        return out;
    }

    @Override
    public void close() {
        fd.ifPresent(NonBlockingOpen.Descriptor::close);
    }
}
