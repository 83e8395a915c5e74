package dev.tandem.hub.fs;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
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
        boolean[] truncated = {false};
        try {
            Files.walkFileTree(folder, EnumSet.noneOf(FileVisitOption.class), depth, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (dir.equals(folder)) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (denied.deniedEntry(dir)) {
                        return FileVisitResult.SKIP_SUBTREE; // never shown, not even by name
                    }
                    return add(dir, attrs) ? FileVisitResult.CONTINUE : FileVisitResult.TERMINATE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (denied.deniedEntry(file)) {
                        return FileVisitResult.CONTINUE;
                    }
                    return add(file, attrs) ? FileVisitResult.CONTINUE : FileVisitResult.TERMINATE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE; // unreadable entries are skipped, not fatal
                }

                private boolean add(Path p, BasicFileAttributes attrs) {
                    if (entries.size() >= maxEntries) {
                        truncated[0] = true;
                        return false;
                    }
                    entries.add(new FsEntry(
                            relative(folder, p),
                            type(attrs),
                            attrs.size(),
                            attrs.lastModifiedTime().toInstant()));
                    return true;
                }
            });
        } catch (IOException e) {
            throw new FsException(FsException.show(input) + ": " + FsWriter.describe(e), e);
        }
        entries.sort(Comparator.comparing(FsEntry::path));
        return new Listing(folder, entries, truncated[0]);
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
