package dev.tandem.hub.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * Resolves {@link HubConfig} from the configuration file, then the environment, then flags; later wins.
 *
 * <p>File keys live under {@code [hub]} (and {@code [fs] roots}); environment variables are {@code TANDEM_*}.
 */
public final class HubConfigLoader {
    public static final int DEFAULT_PORT = 8765;
    public static final long DEFAULT_MAX_BODY_BYTES = 4L * 1024 * 1024;
    public static final Duration DEFAULT_SESSION_IDLE = Duration.ofMinutes(30);
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(15);

    private final Path home;
    private final Path workingDir;
    private final Path repo;
    private final Map<String, String> env;

    /**
     * Creates a loader.
     *
     * @param home the user's home, for {@code ~} and the default {@code ~/.tandem}
     * @param workingDir the directory the hub starts in (the default root)
     * @param repo the checkout holding {@code bin/tandem} (its {@code context-portfolio/} is the default portfolio)
     * @param env the environment
     */
    public HubConfigLoader(Path home, Path workingDir, Path repo, Map<String, String> env) {
        this.home = home;
        this.workingDir = workingDir;
        this.repo = repo;
        this.env = Map.copyOf(env);
    }

    /** Returns the default configuration file, {@code ~/.tandem/hub.toml}. */
    public Path defaultConfigFile() {
        return home.resolve(".tandem").resolve("hub.toml");
    }

    /** Loads the configuration; {@code configFile} empty means the default file, which may be absent. */
    public HubConfig load(Optional<Path> configFile, HubFlags flags) {
        Path file = configFile.map(this::expand).orElseGet(this::defaultConfigFile);
        TomlTable toml = parse(file, configFile.isPresent());
        TomlTable hub = Optional.ofNullable(toml.getTable("hub")).orElse(EmptyToml.TABLE);
        Path base = file.toAbsolutePath().getParent();

        String host = pick(flags.host(), "TANDEM_HOST", Function.identity(), str(hub, "host", file))
                .orElse("127.0.0.1");
        int port = pick(flags.port(), "TANDEM_PORT", v -> parseInt("TANDEM_PORT", v), num(hub, "port", file))
                .orElse(DEFAULT_PORT);
        boolean allowRemote = pick(
                        flags.allowRemote(),
                        "TANDEM_ALLOW_REMOTE",
                        Boolean::parseBoolean,
                        bool(hub, "allow_remote", file))
                .orElse(false);
        Path tokenFile = pick(
                        flags.tokenFile(), "TANDEM_TOKEN_FILE", this::expandString, path(hub, "token_file", file, base))
                .orElse(home.resolve(".tandem").resolve("token"));
        Path dataDir = pick(flags.dataDir(), "TANDEM_DATA_DIR", this::expandString, path(hub, "data_dir", file, base))
                .orElse(home.resolve(".tandem").resolve("data"));
        Path portfolio = pick(
                        flags.portfolio(), "TANDEM_PORTFOLIO", this::expandString, path(hub, "portfolio", file, base))
                .orElse(repo.resolve("context-portfolio"));
        long maxBody = pick(
                        flags.maxBodyBytes(),
                        "TANDEM_MAX_BODY_BYTES",
                        v -> (long) parseInt("TANDEM_MAX_BODY_BYTES", v),
                        num(hub, "max_body_bytes", file).map(Integer::longValue))
                .orElse(DEFAULT_MAX_BODY_BYTES);
        Duration idle = pick(
                        flags.sessionIdleSeconds(),
                        "TANDEM_SESSION_IDLE_SECONDS",
                        v -> parseInt("TANDEM_SESSION_IDLE_SECONDS", v),
                        num(hub, "session_idle_seconds", file))
                .map(Duration::ofSeconds)
                .orElse(DEFAULT_SESSION_IDLE);
        Duration keepAlive = pick(
                        flags.keepAliveSeconds(),
                        "TANDEM_KEEP_ALIVE_SECONDS",
                        v -> parseInt("TANDEM_KEEP_ALIVE_SECONDS", v),
                        num(hub, "keep_alive_seconds", file))
                .map(Duration::ofSeconds)
                .orElse(DEFAULT_KEEP_ALIVE);
        List<Path> roots = roots(flags.roots(), toml, file, base);
        TomlTable skills = Optional.ofNullable(toml.getTable("skills")).orElse(EmptyToml.TABLE);
        Path skillsDir = pick(null, "TANDEM_SKILLS_DIR", this::expandString, path(skills, "dir", file, base))
                .orElse(repo.resolve("clients").resolve("shared").resolve("skills"));
        return new HubConfig(
                host,
                port,
                allowRemote,
                tokenFile,
                dataDir,
                portfolio,
                roots,
                maxBody,
                idle,
                keepAlive,
                skillsDir,
                file,
                toml,
                home);
    }

    private List<Path> roots(List<Path> flagRoots, TomlTable toml, Path file, Path base) {
        if (!flagRoots.isEmpty()) {
            return flagRoots.stream().map(p -> workingDir.resolve(expand(p))).toList();
        }
        String envRoots = env.get("TANDEM_ROOTS");
        if (envRoots != null && !envRoots.isBlank()) {
            return java.util.Arrays.stream(envRoots.split(java.io.File.pathSeparator, -1))
                    .filter(s -> !s.isBlank())
                    .map(s -> workingDir.resolve(expand(Path.of(s))))
                    .toList();
        }
        TomlTable fs = toml.getTable("fs");
        if (fs != null && fs.contains("roots")) {
            if (!fs.isArray("roots")) {
                throw new ConfigException(where(file, fs, "roots") + ": [fs] roots must be an array of strings");
            }
            TomlArray array = fs.getArrayOrEmpty("roots");
            List<Path> out = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                if (!(array.get(i) instanceof String s)) {
                    throw new ConfigException(where(file, fs, "roots") + ": [fs] roots must be an array of strings");
                }
                out.add(base.resolve(expand(Path.of(s))));
            }
            return out;
        }
        return List.of(workingDir);
    }

    private TomlTable parse(Path file, boolean explicit) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            if (explicit) {
                throw new ConfigException(file + ": no such configuration file", e);
            }
            return EmptyToml.TABLE;
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        TomlParseResult result = Toml.parse(text);
        if (result.hasErrors()) {
            TomlParseError error = result.errors().get(0);
            throw new ConfigException(file + ":" + error.position().line() + ":"
                    + error.position().column() + ": " + error.getMessage());
        }
        return result;
    }

    private <T> Optional<T> pick(T flag, String envName, Function<String, T> fromEnv, Optional<T> fromFile) {
        if (flag != null) {
            return Optional.of(flag);
        }
        String value = env.get(envName);
        if (value != null && !value.isBlank()) {
            return Optional.of(fromEnv.apply(value.trim()));
        }
        return fromFile;
    }

    private static int parseInt(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ConfigException(name + ": expected a whole number, got '" + value + "'", e);
        }
    }

    private static Optional<String> str(TomlTable table, String key, Path file) {
        if (!table.contains(key)) {
            return Optional.empty();
        }
        if (!table.isString(key)) {
            throw new ConfigException(where(file, table, key) + ": " + key + " must be a string");
        }
        return Optional.ofNullable(table.getString(key));
    }

    private static Optional<Integer> num(TomlTable table, String key, Path file) {
        if (!table.contains(key)) {
            return Optional.empty();
        }
        if (!table.isLong(key)) {
            throw new ConfigException(where(file, table, key) + ": " + key + " must be a whole number");
        }
        long value = table.getLong(key);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new ConfigException(where(file, table, key) + ": " + key + " is out of range");
        }
        return Optional.of((int) value);
    }

    private static Optional<Boolean> bool(TomlTable table, String key, Path file) {
        if (!table.contains(key)) {
            return Optional.empty();
        }
        if (!table.isBoolean(key)) {
            throw new ConfigException(where(file, table, key) + ": " + key + " must be true or false");
        }
        return Optional.ofNullable(table.getBoolean(key));
    }

    private Optional<Path> path(TomlTable table, String key, Path file, Path base) {
        return str(table, key, file).map(s -> base.resolve(expand(Path.of(s))));
    }

    private static String where(Path file, TomlTable table, String key) {
        var pos = table.inputPositionOf(key);
        return pos == null ? file.toString() : file + ":" + pos.line() + ":" + pos.column();
    }

    private Path expandString(String p) {
        return workingDir.resolve(expand(Path.of(p)));
    }

    /** Expands a leading {@code ~} to the home directory. */
    public Path expand(Path p) {
        String s = p.toString();
        if (s.equals("~")) {
            return home;
        }
        if (s.startsWith("~/")) {
            return home.resolve(s.substring(2));
        }
        return p;
    }
}
