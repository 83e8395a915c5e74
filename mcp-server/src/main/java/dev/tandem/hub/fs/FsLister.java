package dev.tandem.hub.fs;

import dev.tandem.core.fs.RegularFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Lists a folder inside the roots, one level or recursively to a depth; links are reported, never followed, and
 * what the {@link DenyList} names is left out.
 */
public final class FsLister {
    public static final int MAX_DEPTH = 20;
    public static final int DEFAULT_MAX_ENTRIES = 2000;

    private final Roots roots;

    public FsLister(Roots roots) {
        this.roots = roots;
    }

    /** Lists {@code input} to {@code depth} levels (1 = its direct children), at most {@code maxEntries} entries. */
    public Listing list(String input, int depth, int maxEntries) {
        if (depth < 1 || depth > MAX_DEPTH) {
            throw new FsException("depth must be between 1 and " + MAX_DEPTH + ", got " + depth);
        }
        if (maxEntries < 1) {
            throw new FsException("max_entries must be positive, got " + maxEntries);
        }
        Path folder = roots.existing(input);
        DenyList.Resolved denied = roots.denied();
        if (!Files.isDirectory(folder)) {
            throw new FsException(FsException.show(input) + ": not a folder; use fs_read");
        }
        List<FsEntry> entries = new ArrayList<>();
        boolean complete;
        try {
            complete = walk(folder, folder, 1, depth, maxEntries, denied, entries);
        } catch (IOException e) {
            throw new FsException(FsException.show(input) + ": " + FsWriter.describe(e), e);
        }
        entries.sort(Comparator.comparing(FsEntry::path));
        return new Listing(folder, entries, !complete);
    }

    /**
     * Adds the entries of {@code dir} (at {@code level}, 1 for the listed folder's own) and, down to {@code depth},
     * of its sub-folders; links are listed, never followed. Each folder is opened without blocking ({@link
     * RegularFiles#list}), so one swapped for a FIFO is skipped, not waited on.
     *
     * @return false when {@code maxEntries} was reached
     */
    private static boolean walk(
            Path top, Path dir, int level, int depth, int maxEntries, DenyList.Resolved denied, List<FsEntry> out)
            throws IOException {
        List<Path> children;
        try {
            children = RegularFiles.list(dir).entries();
        } catch (IOException e) {
            if (dir.equals(top)) {
                throw e;
            }
            return true; // unreadable or replaced sub-folders are skipped, not fatal
        }
        for (Path p : children) {
            if (denied.deniedEntry(p)) {
                continue; // never shown, not even by name
            }
            BasicFileAttributes attrs;
            try {
                attrs = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                continue; // gone since the listing
            }
            if (out.size() >= maxEntries) {
                return false;
            }
            out.add(new FsEntry(
                    relative(top, p),
                    type(attrs),
                    attrs.size(),
                    attrs.lastModifiedTime().toInstant()));
            if (attrs.isDirectory() && level < depth && !walk(top, p, level + 1, depth, maxEntries, denied, out)) {
                return false;
            }
        }
        return true;
    }

    static String relative(Path base, Path p) {
        return base.relativize(p).toString().replace(java.io.File.separatorChar, '/');
    }

    static String type(BasicFileAttributes attrs) {
        if (attrs.isSymbolicLink()) {
            return "symlink";
        }
        if (attrs.isDirectory()) {
            return "dir";
        }
        return attrs.isRegularFile() ? "file" : "other";
    }
}
