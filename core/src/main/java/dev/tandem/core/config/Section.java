package dev.tandem.core.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.tomlj.TomlArray;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * One table of {@code hub.toml} ({@code [memory]}, {@code [git.credentials."…"]}) with typed getters: a value of the
 * wrong type or out of range fails with {@code <file>:<line>:<col>: [section] key …}, a missing key is empty.
 *
 * <p>Paths follow the one rule of the configuration file: {@code ~} and {@code ~/…} are the home, any other
 * relative path is relative to the folder that holds the file. Environment overrides ({@link #whole(String,
 * String, long, long, long)}) name the variable in their errors instead.
 */
public final class Section {
    /** A TOML bare key; any other key is written quoted in messages, as in the file. */
    private static final Pattern BARE_KEY = Pattern.compile("[A-Za-z0-9_-]+");

    private final Path file;
    private final String name;
    private final TomlTable table;
    private final Map<String, String> env;
    private final Path home;

    Section(Path file, String name, TomlTable table, Map<String, String> env, Path home) {
        this.file = Objects.requireNonNull(file, "file");
        this.name = Objects.requireNonNull(name, "name");
        this.table = Objects.requireNonNull(table, "table");
        this.env = Map.copyOf(env);
        this.home = Objects.requireNonNull(home, "home");
    }

    /**
     * Returns a section over {@code table} (null: the section is absent, so empty), for readers that do not come
     * from a loaded configuration (tests).
     */
    public static Section of(Path file, String name, TomlTable table, Path home) {
        return new Section(file, name, table == null ? EmptyToml.TABLE : table, Map.of(), home);
    }

    /** Returns the section's name as written in the file, e.g. {@code git.credentials."https://github.com"}. */
    public String name() {
        return name;
    }

    /** Returns the configuration file, for messages. */
    public Path file() {
        return file;
    }

    /** Returns the raw table, for readers that walk it themselves. */
    public TomlTable table() {
        return table;
    }

    public boolean contains(String key) {
        return table.contains(List.of(key));
    }

    /** Returns the keys in file order. */
    public Set<String> keys() {
        return table.keySet();
    }

    /** Fails on the first key that is not one of {@code known}, naming it and the keys there are. */
    public void allowOnly(Set<String> known) {
        for (String key : table.keySet()) {
            if (!known.contains(key)) {
                throw error(key, "is not a setting here (known: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }

    /** Returns a string value. */
    public Optional<String> string(String key) {
        if (!contains(key)) {
            return Optional.empty();
        }
        if (!(value(key) instanceof String s)) {
            throw error(key, "must be a string");
        }
        return Optional.of(s);
    }

    /** Returns a string value that must hold more than white space. */
    public Optional<String> nonBlank(String key) {
        Optional<String> s = string(key);
        if (s.isPresent() && s.get().isBlank()) {
            throw error(key, "must not be empty");
        }
        return s;
    }

    /** Returns {@code true} or {@code false}, or {@code fallback} when the key is absent. */
    public boolean bool(String key, boolean fallback) {
        if (!contains(key)) {
            return fallback;
        }
        if (!(value(key) instanceof Boolean b)) {
            throw error(key, "must be true or false");
        }
        return b;
    }

    /** Returns a whole number from {@code min} to {@code max}, if present. */
    public Optional<Long> whole(String key, long min, long max) {
        if (!contains(key)) {
            return Optional.empty();
        }
        if (!(value(key) instanceof Long v) || v < min || v > max) {
            throw error(key, "must be a whole number from " + min + " to " + max);
        }
        return Optional.of(v);
    }

    /** Returns a whole number from {@code min} to {@code max}, or {@code fallback} when the key is absent. */
    public long whole(String key, long min, long max, long fallback) {
        return whole(key, min, max).orElse(fallback);
    }

    /**
     * Returns a whole number from the environment variable {@code envName} if it is set, else from the file, else
     * {@code fallback}; both must lie from {@code min} to {@code max}.
     */
    public long whole(String key, String envName, long min, long max, long fallback) {
        String fromEnv = env.get(envName);
        if (fromEnv == null || fromEnv.isBlank()) {
            return whole(key, min, max, fallback);
        }
        try {
            long v = Long.parseLong(fromEnv.strip());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        throw new ConfigException(
                envName + ": expected a whole number from " + min + " to " + max + ", got '" + fromEnv + "'");
    }

    /** Returns a path: {@code ~} is the home, a relative path is relative to the configuration file's folder. */
    public Optional<Path> path(String key) {
        return nonBlank(key).map(this::resolve);
    }

    /** Returns an array of strings. */
    public Optional<List<String>> strings(String key) {
        if (!contains(key)) {
            return Optional.empty();
        }
        if (!(value(key) instanceof TomlArray array)) {
            throw error(key, "must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof String s)) {
                throw error(key, "must be an array of strings");
            }
            out.add(s);
        }
        return Optional.of(out);
    }

    /** Returns an array of paths, each resolved as {@link #path} resolves one. */
    public Optional<List<Path>> paths(String key) {
        return strings(key).map(list -> list.stream().map(this::resolve).toList());
    }

    /** Returns the sub-table {@code key} ({@code [git.credentials]} of {@code [git]}), if present. */
    public Optional<Section> table(String key) {
        if (!contains(key)) {
            return Optional.empty();
        }
        if (!(value(key) instanceof TomlTable t)) {
            throw error(key, "must be a table");
        }
        String part = BARE_KEY.matcher(key).matches() ? key : "\"" + key.replace("\"", "\\\"") + "\"";
        return Optional.of(new Section(file, name + "." + part, t, env, home));
    }

    /** Returns the error for a bad value of {@code key}: {@code <file>:<line>:<col>: [section] key <problem>}. */
    public ConfigException error(String key, String problem) {
        return new ConfigException(where(key) + ": [" + name + "] " + key + " " + problem);
    }

    /** Returns {@code <file>:<line>:<col>} of {@code key}, or the file alone when the key has no position. */
    public String where(String key) {
        TomlPosition pos = table.inputPositionOf(List.of(key));
        return pos == null ? file.toString() : file + ":" + pos.line() + ":" + pos.column();
    }

    /** Resolves a path as written in the file: {@code ~} is the home, relative is against the file's folder. */
    public Path resolve(String path) {
        return ConfigPaths.fromFile(path, file, home);
    }

    private Object value(String key) {
        return table.get(List.of(key));
    }

    @Override
    public String toString() {
        return "[" + name + "] of " + file;
    }
}
