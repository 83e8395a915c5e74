package dev.tandem.hub.tasks;

import dev.tandem.hub.runs.ProcessTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command line a task starts with: its {@code argv} behind {@code setsid}, so the task and all it starts share a
 * session of their own that a timeout or the hub's stop ends as a whole.
 *
 * <p>{@code setsid} looks the program up on the task's own {@code PATH}, which may be missing or differ; so the program
 * is looked up first on the hub's {@code PATH}, as {@link ProcessBuilder} does. A program that is not found there, or
 * a system without {@code setsid}, gets the plain {@code argv}, and {@link ProcessBuilder#start()} reports or runs it
 * as it would have without a session.
 *
 * @param command what to start
 * @param ownSession whether the task leads a session of its own (its pid is the session id)
 */
record TaskLaunch(List<String> command, boolean ownSession) {
    TaskLaunch {
        command = List.copyOf(command);
    }

    /** Returns the launch of {@code argv} in {@code cwd}, with {@code hubPath} the hub's {@code PATH} (or null). */
    static TaskLaunch of(List<String> argv, Path cwd, String hubPath) {
        Optional<Path> setsid = ProcessTree.setsid();
        Optional<String> program = program(argv.get(0), cwd, hubPath);
        if (setsid.isEmpty() || program.isEmpty()) {
            return new TaskLaunch(argv, false);
        }
        List<String> command = new ArrayList<>();
        command.add(setsid.get().toString());
        command.add("--"); // a program named "-x/run" is not an option of setsid
        command.add(program.get());
        command.addAll(argv.subList(1, argv.size()));
        return new TaskLaunch(command, true);
    }

    /**
     * Returns the program {@code name} names, as the JDK finds it: a name with a slash as it is (relative to the
     * task's folder), any other on {@code hubPath} (an empty entry being the task's folder; unset: {@code :/bin:/usr/bin}).
     */
    private static Optional<String> program(String name, Path cwd, String hubPath) {
        if (name.isEmpty()) {
            return Optional.empty();
        }
        if (name.contains("/")) {
            return runnable(cwd.resolve(name)) ? Optional.of(name) : Optional.empty();
        }
        for (String dir : (hubPath == null ? ":/bin:/usr/bin" : hubPath).split(":", -1)) {
            Path candidate = cwd.resolve(dir).resolve(name);
            if (runnable(candidate)) {
                return Optional.of(candidate.toAbsolutePath().toString());
            }
        }
        return Optional.empty();
    }

    private static boolean runnable(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file);
    }
}
