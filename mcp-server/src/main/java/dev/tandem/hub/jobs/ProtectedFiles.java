package dev.tandem.hub.jobs;

import dev.tandem.core.fs.RegularFiles;
import dev.tandem.core.jobs.ProtectedChange;
import dev.tandem.hub.fs.DenyList;
import dev.tandem.hub.fs.GitMetadata;
import dev.tandem.hub.fs.HooksPaths;
import dev.tandem.hub.fs.OpenFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Looks at the files of a job's folder that run code or grant permissions when the project is next opened: what the
 * write deny list's entries match there ({@code .claude/settings.json}, {@code .claude/hooks/…}, {@code .mcp.json},
 * {@code .envrc}, …), matched by the list itself. A snapshot before an engine process of a job (whatever its
 * sandbox), and another after, tell what was added, changed or removed meanwhile; nothing is reverted.
 *
 * <p>The walk never blocks and never leaves the folder: each folder is opened from its parent's open descriptor with
 * {@code O_DIRECTORY | O_NONBLOCK | O_NOFOLLOW} ({@link OpenFolder}), so one swapped for a FIFO or a link is refused,
 * not waited on or followed; a link is recorded by its target text, a FIFO is recorded, never read. It skips the
 * folder's own {@code .git}, goes at most {@link #MAX_DEPTH} folders deep, and stops at a budget of entries and time;
 * files past the byte budget are recorded by identity, size and time. A look that could not see everything says so.
 */
final class ProtectedFiles {
    /**
     * How much one pass of a snapshot may look at: the first pass, over what lies at the top on the way to an entry,
     * has one; the walk of the rest a fresh one.
     */
    record Budget(int entries, long hashBytes, Duration time) {
        static final Budget DEFAULT = new Budget(50_000, 32L * 1024 * 1024, Duration.ofSeconds(2));
    }

    /**
     * One protected file or folder: its type, size, permissions, content (sha-256, or a link's target), which file it
     * is (device and inode) and how many names it has (0 for a folder): a file swapped for a hard link to one
     * elsewhere, or given a second name elsewhere, is written through that name, whatever its bytes.
     */
    record Entry(String type, long size, long mtimeMillis, String mode, String content, String key, long links) {
        boolean sameAs(Entry o) {
            return type.equals(o.type)
                    && size == o.size
                    && mode.equals(o.mode)
                    && content.equals(o.content)
                    && key.equals(o.key)
                    && links == o.links;
        }
    }

    /**
     * The protected entries of a folder by absolute path, whether the walk saw all of the folder, and which folder it
     * was (its device and inode, "" if it could not be opened).
     */
    record Snapshot(Path dir, Map<String, Entry> entries, boolean complete, Set<String> listed, String key) {
        Snapshot(Path dir, Map<String, Entry> entries, boolean complete) {
            this(dir, entries, complete, Set.of(), "");
        }

        /** Returns whether this look saw the folder {@code path} lies in (so it would have seen the path). */
        boolean reached(String path) {
            Path parent = Path.of(path).getParent();
            return complete || (parent != null && listed.contains(parent.toString()));
        }
    }

    /** How deep below the job's folder the walk goes; a folder deeper is not looked at (the look is incomplete). */
    static final int MAX_DEPTH = 64;

    private final DenyList writeDeny;
    private final HooksPaths hooks;
    private final Budget budget;

    ProtectedFiles(DenyList writeDeny, Budget budget) {
        this(writeDeny, HooksPaths.NONE, budget);
    }

    /** Looks at what {@code writeDeny} matches and the folders {@code hooks} names for the folder's repository. */
    ProtectedFiles(DenyList writeDeny, HooksPaths hooks, Budget budget) {
        this.writeDeny = writeDeny;
        this.hooks = hooks;
        this.budget = budget;
    }

    /** Returns the protected entries of {@code dir} now. */
    Snapshot take(Path dir) {
        DenyList.Resolved hooksHere;
        boolean hooksKnown = true;
        try {
            // git's hooks folders (core.hooksPath) for the folder's repository; a name inside stands for the folder
            hooksHere = hooks.around(dir.toString(), dir.resolve(".git")).resolve();
        } catch (RuntimeException e) {
            hooksHere = DenyList.NONE.resolve();
            hooksKnown = false;
        }
        Walker w = new Walker(writeDeny.resolve(), hooksHere, budget);
        w.complete = hooksKnown;
        String key = "";
        try (OpenFolder top = OpenFolder.open(dir)) {
            key = String.valueOf(top.fileKey());
            w.walk(top, false, 0);
        } catch (IOException | UncheckedIOException e) {
            w.complete = false;
        }
        return new Snapshot(dir, w.entries, w.complete, w.listed, key);
    }

    /**
     * Returns what differs from {@code before} to {@code after}, path by path, after an {@code unchecked} entry for the
     * folder when either look could not see all of it or the folder was replaced between them; an entry in a folder
     * the second look did not reach is not called removed, and one in a folder the first look did not reach is
     * {@code present}, not added.
     */
    static List<ProtectedChange> diff(Snapshot before, Snapshot after) {
        List<ProtectedChange> out = new ArrayList<>();
        for (Map.Entry<String, Entry> e : after.entries().entrySet()) {
            Entry was = before.entries().get(e.getKey());
            if (was == null) {
                // a path the first look did not reach (it failed or stopped early) exists now; whether it is new is
                // not known
                out.add(new ProtectedChange(e.getKey(), before.reached(e.getKey()) ? "added" : "present"));
            } else if (!was.sameAs(e.getValue())) {
                out.add(new ProtectedChange(e.getKey(), "changed"));
            }
        }
        for (String path : before.entries().keySet()) {
            if (!after.entries().containsKey(path) && after.reached(path)) {
                out.add(new ProtectedChange(path, "removed"));
            }
        }
        if (!before.complete() || !after.complete() || !before.key().equals(after.key())) {
            out.addFirst(new ProtectedChange(after.dir().toString(), "unchecked"));
        }
        return out;
    }

    private static final class Walker {
        private final DenyList.Resolved list;
        private final DenyList.Resolved hooks;
        private final Budget budget;
        private long deadline;
        /** The folders listed whole. */
        private final Set<String> listed = new HashSet<>();

        private final Map<String, Entry> entries = new TreeMap<>();

        private int seen;
        private long hashed;
        private boolean complete = true;
        private boolean stopped;

        Walker(DenyList.Resolved list, DenyList.Resolved hooks, Budget budget) {
            this.list = list;
            this.hooks = hooks;
            this.budget = budget;
            this.deadline = System.nanoTime() + budget.time().toNanos();
        }

        /**
         * Walks {@code folder}, open at depth {@code depth} below the top; {@code inProtected} when it lies in a
         * protected folder or is one (its whole content is then protected).
         */
        void walk(OpenFolder folder, boolean inProtected, int depth) {
            if (depth > MAX_DEPTH) {
                complete = false;
                return;
            }
            List<String> names;
            try {
                // never more names than the budget has entries: a folder of millions costs no more than that
                names = folder.names(budget.entries() + 1);
                if (names.size() > budget.entries()) {
                    complete = false;
                    names = new ArrayList<>(names.subList(0, budget.entries()));
                }
            } catch (NoSuchFileException e) {
                return; // gone since its parent was listed
            } catch (IOException | UncheckedIOException e) {
                complete = false; // a folder that cannot be listed may hide anything
                return;
            }
            names.sort(null);
            if (depth == 0) {
                // what lies on the way to an entry at the top (.claude, .mcp.json, …) first, with a budget of its own
                List<String> first = names.stream()
                        .filter(n -> list.deniedEntry(folder.shown().resolve(n))
                                || list.leadsToEntry(folder.shown().resolve(n)))
                        .toList();
                visit(folder, first, inProtected, depth);
                seen = 0;
                deadline = System.nanoTime() + budget.time().toNanos();
                stopped = false;
                names.removeAll(new HashSet<>(first)); // a set: removeAll asks it once per name
            }
            if (visit(folder, names, inProtected, depth)) {
                listed.add(folder.shown().toString());
            }
        }

        /** Looks at {@code names} of {@code folder}; returns whether it looked at all of them. */
        private boolean visit(OpenFolder folder, List<String> names, boolean inProtected, int depth) {
            for (String name : names) {
                if (overBudget()) {
                    return false;
                }
                Path shown = folder.shown().resolve(name);
                Path at = folder.inside(name);
                PosixFileAttributes attrs;
                try {
                    attrs = Files.readAttributes(at, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException e) {
                    continue;
                } catch (IOException e) {
                    complete = false;
                    continue;
                }
                boolean gitName = GitMetadata.isGitName(name);
                if (depth == 0 && gitName) {
                    continue; // the folder's own git directory (or file naming it), which Codex keeps read-only
                }
                boolean inGit = depth > 0
                        && GitMetadata.isGitName(folder.shown().getFileName().toString());
                if (inGit && !name.equals("config") && !name.equals("hooks")) {
                    continue; // a nested repository's git directory: only what runs code is looked at
                }
                // a nested .git file ("gitdir: …") names the git directory, and so the hooks, that run there
                boolean gitFile = gitName && !attrs.isDirectory();
                boolean prot = inProtected || inGit || gitFile || list.deniedEntry(shown) || isHooks(shown);
                if (prot || list.leadsToEntry(shown)) {
                    // a link or folder on the way to an entry (.claude) decides where its files are found
                    record(shown, at, attrs);
                }
                if (attrs.isDirectory()) {
                    try (OpenFolder child = folder.child(name, attrs.fileKey())) {
                        walk(child, prot, depth + 1);
                    } catch (NoSuchFileException e) {
                        // gone since it was listed
                    } catch (IOException e) {
                        complete = false; // swapped (for a FIFO, a link, another folder) or not readable
                    }
                }
            }
            return true;
        }

        private boolean isHooks(Path shown) {
            try {
                return hooks.denied(shown);
            } catch (RuntimeException e) {
                return false;
            }
        }

        private boolean overBudget() {
            if (++seen > budget.entries() || System.nanoTime() > deadline) {
                complete = false;
                stopped = true;
            }
            return stopped;
        }

        private void record(Path shown, Path at, PosixFileAttributes attrs) {
            long links = 0; // a folder's count moves with its subfolders: not compared
            try {
                if (!attrs.isDirectory()) {
                    links = ((Number) Files.getAttribute(at, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).longValue();
                }
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                links = -1;
            }
            String type = attrs.isSymbolicLink()
                    ? "link"
                    : attrs.isDirectory() ? "folder" : attrs.isRegularFile() ? "file" : "other";
            String content = switch (type) {
                case "link" -> linkTarget(at);
                case "file" -> sha256(at, attrs);
                default -> "";
            };
            entries.put(
                    shown.toString(),
                    new Entry(
                            type,
                            attrs.isDirectory() ? 0 : attrs.size(),
                            attrs.lastModifiedTime().toMillis(),
                            PosixFilePermissions.toString(attrs.permissions()),
                            content,
                            String.valueOf(attrs.fileKey()),
                            links));
        }

        private static String linkTarget(Path p) {
            try {
                return Files.readSymbolicLink(p).toString();
            } catch (IOException e) {
                return "?";
            }
        }

        /**
         * Returns the file's sha-256; past the byte budget its identity, size and time instead (a change of those
         * still shows), or "unreadable".
         */
        private String sha256(Path p, PosixFileAttributes attrs) {
            if (hashed + attrs.size() > budget.hashBytes()) {
                return unhashed(attrs);
            }
            MessageDigest sha = sha();
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            try (FileChannel ch = RegularFiles.open(p, Optional.ofNullable(attrs.fileKey()))) {
                while (ch.read(buf) > 0) {
                    hashed += buf.position();
                    if (hashed > budget.hashBytes()) {
                        return unhashed(attrs); // grew while being read
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

        private static String unhashed(PosixFileAttributes attrs) {
            return "unhashed " + attrs.fileKey() + " " + attrs.size() + " "
                    + attrs.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
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
