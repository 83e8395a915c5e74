package dev.tandem.hub.jobs;

import dev.tandem.core.jobs.ProtectedChange;
import dev.tandem.hub.fs.DenyList;
import dev.tandem.hub.fs.RegularFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Looks at the files of a job's folder that run code or grant permissions when the project is next opened: what the
 * write deny list's entries match there ({@code .claude/settings.json}, {@code .claude/hooks/…}, {@code .mcp.json},
 * {@code .envrc}, …), matched by the list itself. A snapshot before an engine process of a job that may write, and
 * another after, tell what was added, changed or removed meanwhile; nothing is reverted.
 *
 * <p>The walk never follows a symbolic link (a link is recorded by its target text), skips {@code .git}, opens files
 * without blocking (a FIFO is recorded, never read) and stops at a budget of entries, bytes hashed and time, saying so.
 */
final class ProtectedFiles {
    /** How much one snapshot may look at. */
    record Budget(int entries, long hashBytes, Duration time) {
        static final Budget DEFAULT = new Budget(50_000, 32L * 1024 * 1024, Duration.ofSeconds(2));
    }

    /** One protected file or folder: its type, size, permissions and content (sha-256, or a link's target). */
    record Entry(String type, long size, long mtimeMillis, String mode, String content) {
        boolean sameAs(Entry o) {
            return type.equals(o.type) && size == o.size && mode.equals(o.mode) && content.equals(o.content);
        }
    }

    /** The protected entries of a folder by absolute path, and whether the walk saw all of the folder. */
    record Snapshot(Path dir, Map<String, Entry> entries, boolean complete) {}

    private final DenyList writeDeny;
    private final Budget budget;

    ProtectedFiles(DenyList writeDeny, Budget budget) {
        this.writeDeny = writeDeny;
        this.budget = budget;
    }

    /** Returns the protected entries of {@code dir} now. */
    Snapshot take(Path dir) {
        Walker w = new Walker(dir, writeDeny.resolve(), budget);
        try {
            Files.walkFileTree(dir, w);
        } catch (IOException e) {
            w.complete = false;
        }
        return new Snapshot(dir, w.entries, w.complete);
    }

    /**
     * Returns what differs from {@code before} to {@code after}, path by path, and an {@code unchecked} entry for the
     * folder when either walk stopped at its budget.
     */
    static List<ProtectedChange> diff(Snapshot before, Snapshot after) {
        List<ProtectedChange> out = new ArrayList<>();
        for (Map.Entry<String, Entry> e : after.entries().entrySet()) {
            Entry was = before.entries().get(e.getKey());
            if (was == null) {
                out.add(new ProtectedChange(e.getKey(), "added"));
            } else if (!was.sameAs(e.getValue())) {
                out.add(new ProtectedChange(e.getKey(), "changed"));
            }
        }
        for (String path : before.entries().keySet()) {
            if (!after.entries().containsKey(path)) {
                out.add(new ProtectedChange(path, "removed"));
            }
        }
        if (!before.complete() || !after.complete()) {
            out.add(new ProtectedChange(after.dir().toString(), "unchecked"));
        }
        return out;
    }

    private static final class Walker extends SimpleFileVisitor<Path> {
        private final Path root;
        private final DenyList.Resolved list;
        private final Budget budget;
        private final long deadline;
        private final Map<String, Entry> entries = new TreeMap<>();
        /** Per open folder: whether it lies in a protected folder or is one (its whole content is then protected). */
        private final Deque<Boolean> inProtected = new ArrayDeque<>();

        private int seen;
        private long hashed;
        private boolean complete = true;

        Walker(Path root, DenyList.Resolved list, Budget budget) {
            this.root = root;
            this.list = list;
            this.budget = budget;
            this.deadline = System.nanoTime() + budget.time().toNanos();
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (overBudget()) {
                return FileVisitResult.TERMINATE;
            }
            if (!dir.equals(root) && dir.getFileName().toString().equals(".git")) {
                return FileVisitResult.SKIP_SUBTREE;
            }
            boolean protectedDir = !dir.equals(root) && (parentProtected() || list.deniedEntry(dir));
            if (protectedDir) {
                record(dir, attrs);
            }
            inProtected.push(protectedDir);
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) {
            inProtected.pop();
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (overBudget()) {
                return FileVisitResult.TERMINATE;
            }
            if (parentProtected() || list.deniedEntry(file)) {
                record(file, attrs);
            }
            return complete ? FileVisitResult.CONTINUE : FileVisitResult.TERMINATE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
            // unreadable (a folder without x, a file gone since its folder was listed): recorded if protected
            if (parentProtected() || list.deniedEntry(file)) {
                entries.put(file.toString(), new Entry("unreadable", -1, -1, "", ""));
            }
            return FileVisitResult.CONTINUE;
        }

        private boolean parentProtected() {
            return !inProtected.isEmpty() && inProtected.peek();
        }

        private boolean overBudget() {
            if (++seen > budget.entries() || System.nanoTime() > deadline) {
                complete = false;
            }
            return !complete;
        }

        private void record(Path p, BasicFileAttributes attrs) {
            String type = attrs.isSymbolicLink()
                    ? "link"
                    : attrs.isDirectory() ? "folder" : attrs.isRegularFile() ? "file" : "other";
            String content = switch (type) {
                case "link" -> linkTarget(p);
                case "file" -> sha256(p, attrs);
                default -> "";
            };
            entries.put(
                    p.toString(),
                    new Entry(
                            type,
                            attrs.isDirectory() ? 0 : attrs.size(),
                            attrs.lastModifiedTime().toMillis(),
                            mode(p),
                            content));
        }

        private static String linkTarget(Path p) {
            try {
                return Files.readSymbolicLink(p).toString();
            } catch (IOException e) {
                return "?";
            }
        }

        private static String mode(Path p) {
            PosixFileAttributeView view = Files.getFileAttributeView(
                    p, PosixFileAttributeView.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            if (view == null) {
                return "";
            }
            try {
                return PosixFilePermissions.toString(view.readAttributes().permissions());
            } catch (IOException e) {
                return "?";
            }
        }

        /** Returns the file's sha-256, or "" when it cannot be read or the byte budget is spent (then incomplete). */
        private String sha256(Path p, BasicFileAttributes attrs) {
            if (hashed + attrs.size() > budget.hashBytes()) {
                complete = false;
                return "";
            }
            MessageDigest sha = sha();
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            try (FileChannel ch = RegularFiles.open(p, Optional.ofNullable(attrs.fileKey()))) {
                while (ch.read(buf) > 0) {
                    hashed += buf.position();
                    if (hashed > budget.hashBytes()) {
                        complete = false;
                        return "";
                    }
                    buf.flip();
                    sha.update(buf);
                    buf.clear();
                }
            } catch (IOException e) {
                return "unreadable";
            }
            return HexFormat.of().formatHex(sha.digest());
        }

        private static MessageDigest sha() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no SHA-256", e);
            }
        }
    }
}
