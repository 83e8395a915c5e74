package dev.tandem.hub.tasks;

import dev.tandem.core.config.ConfigException;
import dev.tandem.core.config.Section;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.tomlj.TomlTable;

/**
 * The {@code [tasks]} section of {@code hub.toml}: limits, and one {@code [tasks.NAME]} table per task.
 *
 * @param maxConcurrent how many tasks may run at once; a call beyond that is refused
 * @param killGrace how long a timed-out task has between SIGTERM and SIGKILL
 * @param tasks the tasks by name, in file order
 */
public record TaskSettings(int maxConcurrent, Duration killGrace, Map<String, TaskDefinition> tasks) {
    public static final int DEFAULT_MAX_CONCURRENT = 2;
    public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(5);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    public static final int DEFAULT_OUTPUT_KIB = 64;
    public static final List<String> DEFAULT_ENV = List.of("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "USER");

    private static final Set<String> TASK_KEYS = Set.of("argv", "cwd", "timeout", "env", "output_kib", "description");

    public TaskSettings {
        Objects.requireNonNull(killGrace, "killGrace");
        tasks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tasks));
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1");
        }
    }

    /**
     * Reads {@code [tasks]}; a wrong key, type or a cwd outside the roots fails naming the file, line and key.
     *
     * @param section the section (empty when absent)
     * @param roots the hub's roots; a relative {@code cwd} is taken from the first
     */
    public static TaskSettings from(Section section, List<Path> roots) {
        int max = DEFAULT_MAX_CONCURRENT;
        Duration grace = DEFAULT_KILL_GRACE;
        Map<String, TaskDefinition> tasks = new LinkedHashMap<>();
        for (String key : section.keys()) {
            switch (key) {
                case "max_concurrent" -> max = (int) section.whole(key, 1, 64, DEFAULT_MAX_CONCURRENT);
                case "kill_grace_seconds" ->
                    grace = Duration.ofSeconds(section.whole(key, 0, 600, DEFAULT_KILL_GRACE.toSeconds()));
                default -> {
                    if (!(section.table().get(List.of(key)) instanceof TomlTable)) {
                        throw section.error(key, "is not a setting here (a task is a table [tasks." + key + "])");
                    }
                    tasks.put(key, task(key, section.table(key).orElseThrow(), roots));
                }
            }
        }
        return new TaskSettings(max, grace, tasks);
    }

    private static TaskDefinition task(String name, Section t, List<Path> roots) {
        t.allowOnly(TASK_KEYS);
        List<String> argv =
                t.strings("argv").orElseThrow(() -> t.error("argv", "is required (an array of strings, no shell)"));
        if (argv.isEmpty()) {
            throw t.error("argv", "must not be empty");
        }
        String description = t.string("description").orElse("");
        Path cwd = cwd(t, roots);
        Duration timeout = Duration.ofSeconds(t.whole("timeout", 1, 7 * 24 * 3600, DEFAULT_TIMEOUT.toSeconds()));
        int kib = (int) t.whole("output_kib", 1, 64 * 1024, DEFAULT_OUTPUT_KIB);
        List<String> env = t.strings("env").orElse(DEFAULT_ENV);
        return new TaskDefinition(name, description, argv, cwd, timeout, env, kib * 1024);
    }

    private static Path cwd(Section t, List<Path> roots) {
        if (roots.isEmpty()) {
            throw new ConfigException(t.file() + ": [" + t.name() + "] needs a root to run in, and none is configured");
        }
        Path cwd = t.string("cwd").map(c -> roots.get(0).resolve(c)).orElse(roots.get(0));
        try {
            if (java.nio.file.Files.exists(cwd)) {
                TaskDirs.insideRoots(cwd, roots);
            } else if (roots.stream().noneMatch(r -> normal(cwd).startsWith(normal(r)))) {
                // a folder that does not exist yet is checked again, on its real path, when the task runs
                throw new TaskException("'" + cwd + "' is outside the roots");
            }
        } catch (TaskException | IOException e) {
            throw new ConfigException(t.where("cwd") + ": [" + t.name() + "] cwd " + e.getMessage(), e);
        }
        return cwd;
    }

    private static Path normal(Path p) {
        return p.toAbsolutePath().normalize();
    }
}
