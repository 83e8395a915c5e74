package dev.tandem.sync.engine;

import dev.tandem.core.fs.RegularFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Changes to many files, made all or nothing.
 *
 * <p>Staging does everything that can fail for a file before any file is touched: it checks the file is regular
 * (or a link to one), makes the missing folders, saves the backup, writes and syncs the new content to a
 * temporary file beside it, and keeps a hard link to the old one (a copy where links are not supported). {@link
 * #commit} then only renames, deletes (by renaming aside) and changes modes; when one of those fails, the steps
 * already done are undone in reverse, each again by a rename, so every file is as it was. Closing an uncommitted
 * transaction removes what staging made, folders included.
 */
public final class FileTransaction implements AutoCloseable {
    private static final String OLD_SUFFIX = ".tandem-old";

    private final Backups backups;
    private final Consumer<String> report;
    private final List<StagedChange> steps = new ArrayList<>();
    private final List<Path> madeFolders = new ArrayList<>();
    private final Map<Path, Path> files = new HashMap<>();
    private boolean committed;

    /**
     * @param backups where the content a step replaces or deletes is saved while staging
     * @param report gets one line per step done ({@code update PATH}) or undone ({@code put back PATH})
     */
    public FileTransaction(Backups backups, Consumer<String> report) {
        this.backups = backups;
        this.report = report;
    }

    /**
     * Stages replacing (or creating) {@code path} with {@code content}.
     *
     * @param now the file's content as read right before (empty: no file yet); saved as the backup
     * @param mode the mode of a new file, or of any file when {@code forceMode}
     * @param followLinks whether a symlink at {@code path} is followed and the file it names replaced (a person's
     *     document); otherwise {@code path} itself is renamed over, so whatever is there when the transaction
     *     commits, a link put there since included, is replaced and nothing is written through it
     */
    public void replace(
            Path path,
            Optional<byte[]> now,
            byte[] content,
            Set<PosixFilePermission> mode,
            boolean forceMode,
            boolean followLinks)
            throws IOException {
        Path file = followLinks ? RegularFile.resolve(path).orElse(path) : path;
        Path dir = file.toAbsolutePath().getParent();
        staging(path, () -> makeFolders(dir));
        once(path, file);
        boolean exists = Files.exists(file, LinkOption.NOFOLLOW_LINKS);
        // a link's own mode (rwxrwxrwx) is no file's: the new file then gets the mode of a new one
        Set<PosixFilePermission> old = Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                ? Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)
                : mode;
        backup(path, now);
        StagedChange.Replace step = new StagedChange.Replace(path, file, dir, now.isPresent() ? "update " : "create ");
        steps.add(step);
        staging(path, () -> step.temp = AtomicFile.temp(dir, file, content, forceMode || !exists ? mode : old));
        if (exists) {
            staging(path, () -> step.old = keep(dir, file, old));
        }
    }

    /** Stages deleting {@code path} (a symlink itself, not its target); {@code pruneParent}: its folder too if emptied. */
    public void delete(Path path, Optional<byte[]> now, boolean pruneParent) throws IOException {
        Optional<Path> file = RegularFile.resolve(path);
        if (file.isEmpty()) {
            return;
        }
        once(path, file.get());
        backup(path, now);
        steps.add(new StagedChange.Delete(path, aside(path.toAbsolutePath().getParent(), path), pruneParent));
    }

    /** Stages changing the permissions of {@code path}. */
    public void chmod(Path path, Set<PosixFilePermission> mode) throws IOException {
        Set<PosixFilePermission> old = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        steps.add(new StagedChange.Chmod(path, old, mode));
    }

    /**
     * Applies every staged step in order; when one fails, undoes the ones done and throws, naming the file.
     *
     * @throws UncheckedIOException when a step fails (the message says whether every file was put back)
     */
    public void commit() {
        List<StagedChange> done = new ArrayList<>();
        for (StagedChange step : steps) {
            try {
                step.apply();
            } catch (IOException e) {
                List<String> left = rollback(done);
                throw new UncheckedIOException(
                        step.path() + ": cannot write (" + Failures.describe(e) + "); "
                                + (left.isEmpty()
                                        ? "every file was put back as it was"
                                        : "not put back (see the backups under " + backups.root() + "): "
                                                + String.join(", ", left)),
                        e);
            }
            done.add(step);
            report.accept(step.line() + step.path());
        }
        committed = true;
        Set<Path> dirs = new LinkedHashSet<>();
        steps.forEach(s -> dirs.add(s.dir()));
        dirs.forEach(AtomicFile::syncDirectory);
        steps.forEach(StagedChange::finish);
    }

    /** Undoes {@code done} in reverse; returns the paths that could not be put back. */
    private List<String> rollback(List<StagedChange> done) {
        List<String> left = new ArrayList<>();
        for (int i = done.size() - 1; i >= 0; i--) {
            StagedChange step = done.get(i);
            try {
                step.undo();
                report.accept("put back " + step.path());
            } catch (IOException e) {
                left.add(step.path() + " (" + Failures.describe(e) + ")");
                steps.remove(step); // keep its files: the old content may be there
            }
        }
        return left;
    }

    /** Removes whatever staging left: temporary files, the links to old contents, folders made for new files. */
    @Override
    public void close() {
        for (StagedChange step : steps) {
            try {
                step.discard();
            } catch (IOException e) {
                // a temporary file left behind is harmless: it is hidden and never read
            }
        }
        if (!committed) {
            for (int i = madeFolders.size() - 1; i >= 0; i--) {
                pruneEmpty(madeFolders.get(i));
            }
        }
    }

    /**
     * Refuses a second change to one file reached by two paths (a symlink between two targets, such as
     * {@code CLAUDE.md} linked to {@code AGENTS.md}): both were rendered from the same content, so the second
     * rename would undo the first.
     */
    private void once(Path path, Path file) {
        Path key;
        try {
            key = Files.exists(file) ? file.toRealPath() : file.toAbsolutePath().normalize();
        } catch (IOException e) {
            key = file.toAbsolutePath().normalize();
        }
        Path first = files.putIfAbsent(key, path);
        if (first != null) {
            throw InputException.of(
                    path,
                    "is the same file as " + first + " (through a symlink); tandem sync manages each as a file of its"
                            + " own, so make them two files; nothing was written");
        }
    }

    private void backup(Path path, Optional<byte[]> now) {
        if (now.isPresent()) {
            try {
                backups.save(path, now.get());
            } catch (IOException e) {
                throw new UncheckedIOException(
                        path + ": cannot keep a backup (" + Failures.describe(e) + "); nothing was written", e);
            }
        }
    }

    /** An action of staging that may fail. */
    private interface Staging {
        void run() throws IOException;
    }

    private static void staging(Path path, Staging action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    path + ": cannot write (" + Failures.describe(e) + "); nothing was written", e);
        }
    }

    private void makeFolders(Path dir) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path d = dir; d != null && !Files.exists(d); d = d.getParent()) {
            missing.add(d);
        }
        for (int i = missing.size() - 1; i >= 0; i--) {
            Files.createDirectory(missing.get(i));
            madeFolders.add(missing.get(i));
        }
    }

    /** Returns a hard link to {@code file} beside it, or a copy of it where the file system refuses links. */
    private static Path keep(Path dir, Path file, Set<PosixFilePermission> mode) throws IOException {
        Path link = aside(dir, file);
        try {
            Files.createLink(link, file);
            return link;
        } catch (IOException | UnsupportedOperationException e) {
            byte[] content;
            // never blocks on a FIFO put in the file's place: refused, as anything but a regular file
            try (var in = Channels.newInputStream(RegularFiles.open(file, Optional.empty()))) {
                content = in.readAllBytes();
            }
            Path copy = AtomicFile.temp(dir, file, content, mode);
            Files.move(copy, link, StandardCopyOption.ATOMIC_MOVE);
            return link;
        }
    }

    static Path aside(Path dir, Path file) {
        return dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + OLD_SUFFIX);
    }

    static void pruneEmpty(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (DirectoryNotEmptyException e) {
            // the person keeps other files there
        } catch (IOException e) {
            // an empty folder left behind changes no file
        }
    }
}
