package dev.tandem.hub.usage;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
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
    private static final int DEPTH = 5;

    private LogFiles() {}

    /** Returns the log files of both engines, each path once. */
    static List<LogFile> find(UsageSettings settings) {
        List<LogFile> out = new ArrayList<>();
        for (Path home : roots(settings.codexHomes())) {
            walk(home.resolve("sessions"), out, CodexLog.ENGINE);
            walk(home.resolve("archived_sessions"), out, CodexLog.ENGINE);
        }
        for (Path dir : roots(settings.claudeDirs())) {
            walk(dir.resolve("projects"), out, ClaudeLog.ENGINE);
        }
        return out;
    }

    /** The configured folders as real paths, each once (~/.config/claude may be a link to ~/.claude). */
    private static Set<Path> roots(List<Path> configured) {
        Set<Path> out = new LinkedHashSet<>();
        for (Path p : configured) {
            try {
                out.add(p.toRealPath());
            } catch (IOException e) {
                // a folder that does not exist: the engine is not used on this machine
            }
        }
        return out;
    }

    private static void walk(Path dir, List<LogFile> out, String engine) {
        Path root;
        try {
            root = dir.toRealPath();
        } catch (IOException e) {
            return;
        }
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

    private static boolean wanted(Path file, String engine) {
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
