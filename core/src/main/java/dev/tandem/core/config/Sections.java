package dev.tandem.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.tomlj.TomlTable;

/**
 * The parsed configuration file with the environment it was loaded with: what each capability reads its own
 * section from ({@code [fs]}, {@code [tasks]}, {@code [sync]}), after the loader took what every command shares.
 */
public final class Sections {
    private final Path file;
    private final TomlTable toml;
    private final Map<String, String> env;
    private final Path home;

    Sections(Path file, TomlTable toml, Map<String, String> env, Path home) {
        this.file = Objects.requireNonNull(file, "file");
        this.toml = Objects.requireNonNull(toml, "toml");
        this.env = Map.copyOf(env);
        this.home = Objects.requireNonNull(home, "home");
    }

    /** Returns the configuration file that was read (it may be absent, then every section is empty). */
    public Path file() {
        return file;
    }

    /** Returns the whole parsed file. */
    public TomlTable toml() {
        return toml;
    }

    /** Returns the table {@code [name]}, or an empty table. */
    public TomlTable table(String name) {
        return reader(name).table();
    }

    /** Returns a typed reader over {@code [name]}; a section that is not a table fails naming its line. */
    public Section reader(String name) {
        Section root = new Section(file, "", toml, env, home);
        if (!toml.contains(List.of(name))) {
            return new Section(file, name, EmptyToml.TABLE, env, home);
        }
        if (!(toml.get(List.of(name)) instanceof TomlTable table)) {
            throw new ConfigException(root.where(name) + ": " + name + " must be a table [" + name + "]");
        }
        return new Section(file, name, table, env, home);
    }

    /** Returns the environment variable {@code name} when it is set to more than white space. */
    public Optional<String> env(String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
    }

    /** Names the file only: the environment may hold secrets. */
    @Override
    public String toString() {
        return file.toString();
    }
}
