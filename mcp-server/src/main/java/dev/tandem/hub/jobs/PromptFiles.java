package dev.tandem.hub.jobs;

import dev.tandem.core.fs.RegularFiles;
import dev.tandem.hub.fs.DenyList;
import dev.tandem.hub.fs.FsException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Attaches the text of files to a job's prompt ({@code --file GLOB}): globs relative to the job's folder, matched
 * inside it only (a symbolic link is not followed out of it), text files only, within a count and a size cap. What
 * the fs deny list names ({@code .env}, keys, the hub's own state) is never attached: a glob skips it.
 */
final class PromptFiles {
    static final int MAX_FILES = 50;
    static final int MAX_BYTES = 256 * 1024;
    private static final int MAX_DEPTH = 12;

    private PromptFiles() {}

    /** Returns {@code prompt} with the matched files appended, or the prompt itself when there are no globs. */
    static String attach(String prompt, Path dir, List<String> globs, DenyList.Resolved denied) {
        if (globs.isEmpty()) {
            return prompt;
        }
        TreeSet<Path> matched = new TreeSet<>();
        for (String glob : globs) {
            List<Path> found = match(dir, glob, denied);
            if (found.isEmpty()) {
                throw new JobException(
                        JobException.Reason.INVALID,
                        "--file " + glob + ": no file in " + dir + " matches (files the fs deny list names are "
                                + "never attached)");
            }
            matched.addAll(found);
        }
        if (matched.size() > MAX_FILES) {
            throw new JobException(
                    JobException.Reason.INVALID,
                    "--file matches " + matched.size() + " files; at most " + MAX_FILES + " can be attached");
        }
        StringBuilder out = new StringBuilder(prompt);
        out.append("\n\nFiles attached to this task (paths relative to ")
                .append(dir)
                .append("):\n");
        long total = 0;
        for (Path p : matched) {
            byte[] bytes = read(p);
            total += bytes.length;
            if (total > MAX_BYTES) {
                throw new JobException(
                        JobException.Reason.INVALID,
                        "--file: the attached files exceed " + MAX_BYTES / 1024
                                + " KiB; attach fewer or name them in the prompt");
            }
            String text = text(dir.relativize(p), bytes);
            out.append("\n--- ").append(dir.relativize(p)).append(" ---\n").append(text);
            if (!text.endsWith("\n")) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    private static List<Path> match(Path dir, String glob, DenyList.Resolved denied) {
        if (glob.isBlank() || glob.startsWith("/") || glob.contains("..") || glob.indexOf('\0') >= 0) {
            throw new JobException(
                    JobException.Reason.INVALID,
                    "--file " + glob + ": a glob relative to the job's folder, without ..");
        }
        PathMatcher matcher;
        try {
            matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        } catch (IllegalArgumentException e) {
            throw new JobException(JobException.Reason.INVALID, "--file " + glob + ": " + e.getMessage());
        }
        List<Path> out = new ArrayList<>();
        try {
            Files.walkFileTree(dir, java.util.Set.of(), MAX_DEPTH, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    boolean git = d.getFileName() != null
                            && d.getFileName().toString().equals(".git");
                    return !d.equals(dir) && (git || denied.denied(d))
                            ? FileVisitResult.SKIP_SUBTREE
                            : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                    // attributes of the link itself: a symbolic link is never followed
                    if (attrs.isRegularFile() && matcher.matches(dir.relativize(f)) && !denied.denied(f)) {
                        out.add(f);
                    }
                    return out.size() > MAX_FILES ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Reads a matched file; the open never waits (a file swapped for a FIFO since the walk is refused). */
    private static byte[] read(Path p) {
        try {
            return RegularFiles.read(p, Optional.empty(), MAX_BYTES);
        } catch (IOException | FsException e) {
            throw new JobException(JobException.Reason.INVALID, "--file " + p + ": cannot read: " + e.getMessage());
        }
    }

    private static String text(Path name, byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new JobException(JobException.Reason.INVALID, "--file " + name + ": not a UTF-8 text file");
        }
    }
}
