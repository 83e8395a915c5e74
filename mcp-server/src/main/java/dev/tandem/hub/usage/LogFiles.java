package dev.tandem.hub.usage;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the engines' log files under the configured folders: Codex's {@code sessions/**}{@code /rollout-*.jsonl}
 * and {@code archived_sessions/}, Claude Code's {@code projects/<encoded cwd>/*.jsonl} and the sub-agent logs below
 * them. Symbolic links inside those folders are not followed, and only regular files are read, so nothing outside
 * the folders is ever opened.
 */
final class LogFiles {
    private static final Pattern THREAD_ID =
            Pattern.compile("([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\\.jsonl$");
    /** Deep enough for {@code sessions/YYYY/MM/DD/x} and {@code projects/p/s/subagents/x}. */
    static final int DEPTH = 5;

    private LogFiles() {}

    /** Returns the log files of both engines, each path once. */
    static List<LogFile> find(UsageSettings settings) {
        List<LogFile> out = new ArrayList<>();
        Set<Path> walked = new HashSet<>(); // ~/.config/claude may be a link to ~/.claude
        for (Root r : roots(settings)) {
            Optional<Path> real = realRoot(r.dir());
            if (real.isPresent() && walked.add(real.get())) {
                walk(real.get(), out, r.engine());
            }
        }
        return out;
    }

    /**
     * A folder the logs are found under: {@code name} ({@code sessions}, {@code archived_sessions} or {@code
     * projects}) in {@code home}, one of the configured folders.
     *
     * @param home the configured folder, absolute (it may be, or lie below, a link: it is read at its real path)
     * @param name the log folder's name in it
     * @param engine the engine whose logs it holds
     */
    record Root(Path home, String name, String engine) {
        /** Returns the folder as configured; it is walked from its real path ({@link #realRoot}). */
        Path dir() {
            return home.resolve(name);
        }
    }

    /** Returns the folders the logs are found under, in the order they are walked, each configured one once. */
    static List<Root> roots(UsageSettings settings) {
        Set<Root> out = new LinkedHashSet<>();
        for (Path home : settings.codexHomes()) {
            Path h = home.toAbsolutePath().normalize();
            out.add(new Root(h, "sessions", CodexLog.ENGINE));
            out.add(new Root(h, "archived_sessions", CodexLog.ENGINE));
        }
        for (Path dir : settings.claudeDirs()) {
            out.add(new Root(dir.toAbsolutePath().normalize(), "projects", ClaudeLog.ENGINE));
        }
        return List.copyOf(out);
    }

    /**
     * Returns log file {@code file} found under {@code root} (a real path, as {@link #walk} starts from), as a walk
     * would find it now: empty when it is gone, not a regular file, not a log's name, deeper than a walk goes, or
     * below a folder that is a link (a walk does not follow those).
     */
    static Optional<LogFile> at(Path root, String engine, Path file) {
        Path rel = root.relativize(file);
        if (!file.startsWith(root) || rel.getNameCount() < 1 || rel.getNameCount() > DEPTH || !wanted(file, engine)) {
            return Optional.empty();
        }
        try {
            Path dir = root;
            for (int i = 0; i < rel.getNameCount() - 1; i++) {
                dir = dir.resolve(rel.getName(i));
                if (!Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                        .isDirectory()) {
                    return Optional.empty();
                }
            }
            BasicFileAttributes attrs =
                    Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return attrs.isRegularFile() ? Optional.of(logFile(root, file, attrs, engine)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // gone since the event named it, or unreadable: as a walk skips it
        }
    }

    /** Returns the real path a walk of {@code dir} starts from; empty when there is none. */
    static Optional<Path> realRoot(Path dir) {
        try {
            return Optional.of(dir.toRealPath());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Adds the logs under {@code root}, a real path. */
    private static void walk(Path root, List<LogFile> out, String engine) {
        try {
            Files.walkFileTree(
                    root, EnumSet.noneOf(java.nio.file.FileVisitOption.class), DEPTH, new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            if (attrs.isRegularFile() && wanted(file, engine)) {
                                out.add(logFile(root, file, attrs, engine));
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            return FileVisitResult.CONTINUE; // unreadable: skipped, the rest is still read
                        }
                    });
        } catch (IOException e) {
            // walkFileTree reports failures to visitFileFailed; nothing else is thrown for a readable root
        }
    }

    static boolean wanted(Path file, String engine) {
        String name = file.getFileName().toString();
        return name.endsWith(".jsonl") && (!engine.equals(CodexLog.ENGINE) || name.startsWith("rollout-"));
    }

    private static LogFile logFile(Path root, Path file, BasicFileAttributes attrs, String engine) {
        Object key = attrs.fileKey();
        String name = file.getFileName().toString();
        String session = name.substring(0, name.length() - ".jsonl".length());
        String project = "";
        if (engine.equals(CodexLog.ENGINE)) {
            Matcher m = THREAD_ID.matcher(name);
            if (m.find()) {
                session = m.group(1);
            }
        } else {
            Path rel = root.relativize(file);
            project = rel.getNameCount() > 1 ? rel.getName(0).toString() : "";
            if (rel.getNameCount() > 3) { // projects/<p>/<session>/subagents/agent-x.jsonl
                session = rel.getName(1).toString();
            }
        }
        return new LogFile(
                file,
                engine,
                attrs.size(),
                key == null ? file.toString() : key.toString(),
                attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS),
                session,
                project);
    }
}
