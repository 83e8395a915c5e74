package dev.tandem.hub.tasks;

import dev.tandem.core.config.ConfigException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.tomlj.TomlArray;
import org.tomlj.TomlPosition;
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
     * @param file the configuration file, for messages
     * @param roots the hub's roots; a relative {@code cwd} is taken from the first
     */
    public static TaskSettings from(TomlTable section, Path file, List<Path> roots) {
        int max = DEFAULT_MAX_CONCURRENT;
        Duration grace = DEFAULT_KILL_GRACE;
        Map<String, TaskDefinition> tasks = new LinkedHashMap<>();
        for (String key : section.keySet()) {
            Object value = section.get(List.of(key));
            switch (key) {
                case "max_concurrent" -> max = (int) whole(section, file, key, "[tasks] max_concurrent", 1, 64);
                case "kill_grace_seconds" ->
                    grace = Duration.ofSeconds(whole(section, file, key, "[tasks] kill_grace_seconds", 0, 600));
                default -> {
                    if (!(value instanceof TomlTable t)) {
                        throw new ConfigException(where(file, section, key) + ": unknown key [tasks] " + key
                                + " (a task is a table [tasks." + key + "])");
                    }
                    tasks.put(key, task(key, t, file, roots));
                }
            }
        }
        return new TaskSettings(max, grace, tasks);
    }

    private static TaskDefinition task(String name, TomlTable t, Path file, List<Path> roots) {
        String label = "[tasks." + name + "]";
        for (String key : t.keySet()) {
            if (!TASK_KEYS.contains(key)) {
                throw new ConfigException(where(file, t, key) + ": unknown key " + label + " " + key);
            }
        }
        List<String> argv = strings(t, file, "argv", label)
                .orElseThrow(() ->
                        new ConfigException(file + ": " + label + " argv is required (an array of strings, no shell)"));
        if (argv.isEmpty()) {
            throw new ConfigException(where(file, t, "argv") + ": " + label + " argv must not be empty");
        }
        String description = "";
        if (t.contains("description")) {
            if (!t.isString("description")) {
                throw new ConfigException(
                        where(file, t, "description") + ": " + label + " description must be a " + "string");
            }
            description = Objects.requireNonNull(t.getString("description"));
        }
        Path cwd = cwd(t, file, label, roots);
        Duration timeout = t.contains("timeout")
                ? Duration.ofSeconds(whole(t, file, "timeout", label + " timeout", 1, 7 * 24 * 3600))
                : DEFAULT_TIMEOUT;
        int kib = t.contains("output_kib")
                ? (int) whole(t, file, "output_kib", label + " output_kib", 1, 64 * 1024)
                : DEFAULT_OUTPUT_KIB;
        List<String> env = strings(t, file, "env", label).orElse(DEFAULT_ENV);
        return new TaskDefinition(name, description, argv, cwd, timeout, env, kib * 1024);
    }

    private static Path cwd(TomlTable t, Path file, String label, List<Path> roots) {
        if (roots.isEmpty()) {
            throw new ConfigException(file + ": " + label + " needs a root to run in, and none is configured");
        }
        if (t.contains("cwd") && !t.isString("cwd")) {
            throw new ConfigException(where(file, t, "cwd") + ": " + label + " cwd must be a string");
        }
        Path cwd = t.contains("cwd") ? roots.get(0).resolve(Objects.requireNonNull(t.getString("cwd"))) : roots.get(0);
        try {
            if (java.nio.file.Files.exists(cwd)) {
                TaskDirs.insideRoots(cwd, roots);
            } else if (roots.stream().noneMatch(r -> normal(cwd).startsWith(normal(r)))) {
                // a folder that does not exist yet is checked again, on its real path, when the task runs
                throw new TaskException("'" + cwd + "' is outside the roots");
            }
        } catch (TaskException | IOException e) {
            throw new ConfigException(where(file, t, "cwd") + ": " + label + " cwd " + e.getMessage(), e);
        }
        return cwd;
    }

    private static Path normal(Path p) {
        return p.toAbsolutePath().normalize();
    }

    private static long whole(TomlTable t, Path file, String key, String label, long min, long max) {
        Long v = t.isLong(List.of(key)) ? t.getLong(List.of(key)) : null;
        if (v == null || v < min || v > max) {
            throw new ConfigException(
                    where(file, t, key) + ": " + label + " must be a whole number from " + min + " to " + max);
        }
        return v;
    }

    private static java.util.Optional<List<String>> strings(TomlTable t, Path file, String key, String label) {
        if (!t.contains(key)) {
            return java.util.Optional.empty();
        }
        String message = where(file, t, key) + ": " + label + " " + key + " must be an array of strings";
        if (!t.isArray(key)) {
            throw new ConfigException(message);
        }
        TomlArray array = Objects.requireNonNull(t.getArray(key));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof String s)) {
                throw new ConfigException(message);
            }
            out.add(s);
        }
        return java.util.Optional.of(out);
    }

    private static String where(Path file, TomlTable table, String key) {
        TomlPosition pos = table.inputPositionOf(List.of(key));
        return pos == null ? file.toString() : file + ":" + pos.line() + ":" + pos.column();
    }
}
