package dev.tandem.hub.fs;

import dev.tandem.core.fs.FileTooLargeException;
import dev.tandem.core.fs.NotRegularFileException;
import dev.tandem.core.hash.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes and edits files inside the roots, always atomically (temp file + rename in the same folder).
 *
 * <p>Writers of one file inside this hub take turns, so a replace never loses a concurrent write's bytes in the
 * middle; a reader, in or out of the hub, only ever sees a whole old or a whole new file.
 */
public final class FsWriter {
    /** The largest file a replace reads. */
    public static final long MAX_EDIT_BYTES = 32L * 1024 * 1024;

    private static final int STRIPES = 64;

    private final Roots roots;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];
    private final ReentrantLock shapeLock = new ReentrantLock();

    public FsWriter(Roots roots) {
        this.roots = roots;
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /**
     * Creates or overwrites {@code input} with {@code content}.
     *
     * @param createParents whether missing parent folders (inside the root) are created
     * @param overwrite whether an existing file may be replaced
     */
    public WriteResult write(String input, String content, boolean createParents, boolean overwrite) {
        WriteTarget target = roots.forWrite(input);
        if (!GitShape.touchesPieces(target)) {
            return write(input, target, content, createParents, overwrite);
        }
        // two writes that each add a piece of a git directory's shape (HEAD, objects, refs) must not both pass the
        // check before either lands: such writes take turns, each judged again inside its turn
        shapeLock.lock();
        try {
            return write(input, roots.forWrite(input), content, createParents, overwrite);
        } finally {
            shapeLock.unlock();
        }
    }

    private WriteResult write(
            String input, WriteTarget target, String content, boolean createParents, boolean overwrite) {
        if (!target.missing().isEmpty() && !createParents) {
            throw new FsException(FsException.show(input) + ": parent folder "
                    + target.parent().resolve(target.missing().get(0)) + " does not exist (create_parents is false)");
        }
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return locked(target.path(), () -> {
            try (SafeDir dir = openCreating(target)) {
                Optional<BasicFileAttributes> before = dir.attributes(target.name());
                if (before.isPresent()) {
                    requireRegular(input, before.get());
                    if (!overwrite) {
                        throw new FsException(FsException.show(input) + ": exists (overwrite is false)");
                    }
                }
                dir.writeAtomically(target.name(), bytes);
                return new WriteResult(target.path(), bytes.length, Sha256.hex(bytes), before.isEmpty());
            }
        });
    }

    /**
     * Replaces the one occurrence of {@code oldText} in file {@code input} by {@code newText}.
     *
     * @param expectedSha256 if present, the file's current hash; a different hash means a stale edit, refused
     */
    public WriteResult replace(String input, String oldText, String newText, Optional<String> expectedSha256) {
        if (oldText.isEmpty()) {
            throw new FsException(FsException.show(input) + ": old_text is empty");
        }
        Path real = roots.existing(input);
        WriteTarget target = roots.forWrite(input);
        return locked(real, () -> {
            try (SafeDir dir = SafeDir.open(target.root(), target.parent())) {
                requireRegular(
                        input,
                        dir.attributes(target.name())
                                .orElseThrow(() -> new FsException(FsException.show(input) + ": no such file")));
                byte[] bytes = dir.read(target.name(), MAX_EDIT_BYTES);
                String sha = Sha256.hex(bytes);
                if (expectedSha256.isPresent() && !expectedSha256.get().equalsIgnoreCase(sha)) {
                    throw new FsException(FsException.show(input) + ": sha256 is " + sha + ", not the expected "
                            + expectedSha256.get() + "; the file changed since it was read, nothing written");
                }
                String text = TextFiles.decode(input, bytes);
                int count = occurrences(text, oldText);
                if (count != 1) {
                    throw new FsException(FsException.show(input) + ": old_text occurs " + count
                            + " times, expected exactly once; file untouched");
                }
                int at = text.indexOf(oldText);
                String updated = text.substring(0, at) + newText + text.substring(at + oldText.length());
                byte[] out = updated.getBytes(StandardCharsets.UTF_8);
                dir.writeAtomically(target.name(), out);
                return new WriteResult(real, out.length, Sha256.hex(out), false);
            }
        });
    }

    static int occurrences(String text, String snippet) {
        int count = 0;
        for (int i = text.indexOf(snippet); i >= 0; i = text.indexOf(snippet, i + 1)) {
            count++;
        }
        return count;
    }

    private static SafeDir openCreating(WriteTarget target) throws IOException {
        Path dir = target.parent();
        for (String name : target.missing()) {
            try (SafeDir parent = SafeDir.open(target.root(), dir)) {
                parent.createFolder(name);
            }
            dir = dir.resolve(name);
        }
        return SafeDir.open(target.root(), dir);
    }

    private static void requireRegular(String input, BasicFileAttributes attrs) {
        if (attrs.isSymbolicLink()) {
            throw new PathRefusedException(input, "became a symbolic link while being written");
        }
        if (!attrs.isRegularFile()) {
            throw new PathRefusedException(input, "not a regular file");
        }
    }

    private interface IoAction {
        WriteResult run() throws IOException;
    }

    private WriteResult locked(Path path, IoAction action) {
        ReentrantLock lock = locks[Math.floorMod(path.hashCode(), STRIPES)];
        lock.lock();
        try {
            return action.run();
        } catch (NotRegularFileException e) {
            throw new PathRefusedException(path.toString(), e.getReason());
        } catch (FileTooLargeException e) {
            throw new FsException(e.getMessage(), e);
        } catch (IOException e) {
            throw new FsException(path + ": " + describe(e), e);
        } finally {
            lock.unlock();
        }
    }

    static String describe(IOException e) {
        String kind = e.getClass().getSimpleName().replace("Exception", "");
        return e.getMessage() == null ? kind : kind + " " + e.getMessage();
    }
}
