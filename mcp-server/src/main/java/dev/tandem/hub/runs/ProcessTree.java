package dev.tandem.hub.runs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Ends an engine process and everything it started: SIGTERM to the whole tree, then SIGKILL to what outlives the
 * grace period.
 *
 * <p>The tree is the process's descendants plus every process in its session: engines start in a session of their
 * own ({@code setsid}), so a grandchild that was re-parented (a shell's background job, a daemonised helper) is still
 * found; plus the descendants a watcher saw earlier, for helpers that start a session of their own (Codex's sandbox
 * does) and outlive a crashed engine. The members are collected before the first signal, so none is lost when its
 * parent dies first.
 */
public final class ProcessTree {
    private static final Path PROC = Path.of("/proc");
    private static final Path SETSID = findSetsid();

    private ProcessTree() {}

    /** Returns the {@code setsid} program that starts an engine or a task in its own session, if this system has one. */
    public static Optional<Path> setsid() {
        return Optional.ofNullable(SETSID);
    }

    private static Path findSetsid() {
        for (String p : List.of("/usr/bin/setsid", "/bin/setsid")) {
            Path path = Path.of(p);
            if (Files.isExecutable(path)) {
                return path;
            }
        }
        return null;
    }

    /**
     * Ends {@code root} and its tree: SIGTERM, then SIGKILL after {@code grace}; waits up to {@code grace} plus two
     * seconds in all. {@code session} is the session the tree runs in (the root's pid when it was started through
     * {@code setsid}), or empty.
     */
    public static void kill(ProcessHandle root, OptionalLong session, Duration grace) {
        kill(root, session, List.of(), grace);
    }

    /**
     * Ends {@code root}, its tree and the processes in {@code known} (descendants seen earlier, which may have been
     * re-parented since: a handle only matches the very process it was taken of, never a later one with its pid).
     */
    static void kill(ProcessHandle root, OptionalLong session, Collection<ProcessHandle> known, Duration grace) {
        Map<Long, ProcessHandle> tree = members(root, session, known);
        tree.values().forEach(ProcessHandle::destroy);
        waitForExit(tree.values(), grace);
        // a child forked after the first look is in the session (or still under a living parent)
        Map<Long, ProcessHandle> left = members(root, session, known);
        tree.values().stream().filter(ProcessHandle::isAlive).forEach(h -> left.putIfAbsent(h.pid(), h));
        left.values().forEach(ProcessHandle::destroyForcibly);
        waitForExit(left.values(), Duration.ofSeconds(2));
    }

    /**
     * Ends a process a previous hub started, found by its pid and start time (a pid the system has given to
     * another process since is left alone); returns whether it was still there.
     */
    public static boolean killLeftover(long pid, Instant started, Duration grace) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        Optional<Instant> actual = handle.get().info().startInstant();
        // start times from /proc have clock-tick precision: allow a second either way
        if (actual.isEmpty() || Math.abs(actual.get().toEpochMilli() - started.toEpochMilli()) > 1000) {
            return false;
        }
        kill(handle.get(), sessionLeader(pid) ? OptionalLong.of(pid) : OptionalLong.empty(), List.of(), grace);
        return true;
    }

    /** Returns the pids of the live processes in session {@code session} (from {@code /proc/PID/stat}). */
    public static List<Long> sessionMembers(long session) {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(PROC)) {
            for (Path p : dir) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                OptionalLong sid = sessionOf(Long.parseLong(name));
                if (sid.isPresent() && sid.getAsLong() == session) {
                    out.add(Long.parseLong(name));
                }
            }
        } catch (IOException e) {
            // no /proc: descendants are all there is to go on
        }
        return out;
    }

    /**
     * Returns whether process {@code pid} has exited: gone, or a zombie its parent has not collected yet (which
     * {@link ProcessHandle#isAlive()} still counts as alive). Without {@code /proc}, false.
     */
    public static boolean exited(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
            // the state follows the command name, which is in parentheses and may hold spaces
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (NoSuchFileException e) {
            return Files.isDirectory(PROC.resolve("self"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean sessionLeader(long pid) {
        OptionalLong sid = sessionOf(pid);
        return sid.isPresent() && sid.getAsLong() == pid;
    }

    /** Returns field 6 (session) of {@code /proc/PID/stat}; the fields after the command name, which may hold spaces. */
    static OptionalLong sessionOf(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
            String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
            // after[0] state, [1] ppid, [2] pgrp, [3] session
            return OptionalLong.of(Long.parseLong(after[3]));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    private static Map<Long, ProcessHandle> members(
            ProcessHandle root, OptionalLong session, Collection<ProcessHandle> known) {
        Map<Long, ProcessHandle> out = new LinkedHashMap<>();
        if (root.isAlive()) {
            out.put(root.pid(), root);
        }
        root.descendants().forEach(h -> out.put(h.pid(), h));
        for (ProcessHandle h : known) {
            if (h.isAlive()) {
                out.putIfAbsent(h.pid(), h);
                h.descendants().forEach(d -> out.putIfAbsent(d.pid(), d));
            }
        }
        if (session.isPresent()) {
            for (long pid : sessionMembers(session.getAsLong())) {
                ProcessHandle.of(pid).ifPresent(h -> out.putIfAbsent(pid, h));
            }
        }
        return out;
    }

    private static void waitForExit(Iterable<ProcessHandle> handles, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        for (ProcessHandle h : handles) {
            while (h.isAlive() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
