package dev.tandem.core.config;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.tomlj.Toml;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * The one loader of Tandem's configuration: {@code hub.toml}, then the environment, then flags; later wins. The hub
 * and the sync tool both resolve their settings here, so every path and port means the same to both.
 *
 * <p>File keys live under {@code [hub]} (and {@code [fs] roots}, {@code [skills] dir}); environment variables are
 * {@code TANDEM_*}. A relative path in the file is relative to the file's folder; one from the environment or a
 * flag is relative to the working directory; {@code ~} is the home in all three.
 */
public final class HubConfigLoader {
    public static final int DEFAULT_PORT = 8765;
    public static final long DEFAULT_MAX_BODY_BYTES = 4L * 1024 * 1024;
    public static final Duration DEFAULT_SESSION_IDLE = Duration.ofMinutes(30);
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(15);

    /** The environment variables the loader reads, each the twin of a {@code [hub]} key or flag. */
    public static final List<String> VARIABLES = List.of(
            "TANDEM_HOST",
            "TANDEM_PORT",
            "TANDEM_ALLOW_REMOTE",
            "TANDEM_TOKEN_FILE",
            "TANDEM_DATA_DIR",
            "TANDEM_PORTFOLIO",
            "TANDEM_ROOTS",
            "TANDEM_MAX_BODY_BYTES",
            "TANDEM_SESSION_IDLE_SECONDS",
            "TANDEM_KEEP_ALIVE_SECONDS",
            "TANDEM_SKILLS_DIR");

    private static final int MAX_SECONDS = 7 * 24 * 3600;

    private final Path home;
    private final Path workingDir;
    private final Path repo;
    private final Map<String, String> env;

    /**
     * Creates a loader.
     *
     * @param home the user's home, for {@code ~} and the default {@code ~/.tandem}
     * @param workingDir the directory the command runs in (the default root; relative environment and flag paths)
     * @param repo the checkout holding {@code bin/tandem} (its {@code context-portfolio/} is the default portfolio)
     * @param env the environment
     */
    public HubConfigLoader(Path home, Path workingDir, Path repo, Map<String, String> env) {
        this.home = home.toAbsolutePath().normalize();
        this.workingDir = workingDir.toAbsolutePath().normalize();
        this.repo = repo.toAbsolutePath().normalize();
        this.env = Map.copyOf(env);
    }

    /**
     * Returns the loader of this process: home {@code user.home} (unless {@code home} is given), the working
     * directory, the checkout {@code bin/tandem} names in {@code tandem.repo} and the real environment.
     */
    public static HubConfigLoader forProcess(Optional<Path> home) {
        Path workingDir = Path.of("").toAbsolutePath();
        String repo = System.getProperty("tandem.repo");
        return new HubConfigLoader(
                home.orElseGet(() -> Path.of(System.getProperty("user.home"))),
                workingDir,
                repo == null ? workingDir : Path.of(repo),
                System.getenv());
    }

    /** Returns where Tandem's own files are under this loader's home. */
    public TandemLayout layout() {
        return new TandemLayout(home);
    }

    /** Returns the default configuration file, {@code ~/.tandem/hub.toml}. */
    public Path defaultConfigFile() {
        return layout().configFile();
    }

    /** Loads the configuration; {@code configFile} empty means the default file, which may be absent. */
    public HubConfig load(Optional<Path> configFile, HubFlags flags) {
        Path file = configFile.map(p -> fromShell(p.toString())).orElseGet(this::defaultConfigFile);
        Sections sections = new Sections(file, parse(file, configFile.isPresent()), env, home);
        Section hub = sections.reader("hub");
        TandemLayout layout = layout();

        String host = pick(flags.host(), "TANDEM_HOST", Function.identity(), hub.nonBlank("host"))
                .orElse("127.0.0.1");
        int port = (int) whole(flags.port(), "--port", "TANDEM_PORT", hub, "port", 0, 65535, DEFAULT_PORT);
        boolean allowRemote = pick(
                        flags.allowRemote(),
                        "TANDEM_ALLOW_REMOTE",
                        v -> bool("TANDEM_ALLOW_REMOTE", v),
                        hub.contains("allow_remote") ? Optional.of(hub.bool("allow_remote", false)) : Optional.empty())
                .orElse(false);
        Path tokenFile = path(flags.tokenFile(), "TANDEM_TOKEN_FILE", hub.path("token_file"))
                .orElse(layout.tokenFile());
        Path dataDir =
                path(flags.dataDir(), "TANDEM_DATA_DIR", hub.path("data_dir")).orElse(layout.dataDir());
        Path source = sourceDir(sections);
        // the person's own portfolio: the checkout's context-portfolio/ is an example persona, never served unasked
        Path portfolio = path(flags.portfolio(), "TANDEM_PORTFOLIO", hub.path("portfolio"))
                .orElse(source.resolve("portfolio"));
        long maxBody = whole(
                flags.maxBodyBytes(),
                "--max-body-bytes",
                "TANDEM_MAX_BODY_BYTES",
                hub,
                "max_body_bytes",
                1,
                Integer.MAX_VALUE,
                DEFAULT_MAX_BODY_BYTES);
        Duration idle = Duration.ofSeconds(whole(
                flags.sessionIdleSeconds(),
                "--session-idle-seconds",
                "TANDEM_SESSION_IDLE_SECONDS",
                hub,
                "session_idle_seconds",
                1,
                MAX_SECONDS,
                DEFAULT_SESSION_IDLE.toSeconds()));
        Duration keepAlive = Duration.ofSeconds(whole(
                flags.keepAliveSeconds(),
                "--keep-alive-seconds",
                "TANDEM_KEEP_ALIVE_SECONDS",
                hub,
                "keep_alive_seconds",
                1,
                MAX_SECONDS,
                DEFAULT_KEEP_ALIVE.toSeconds()));
        List<Path> roots = roots(flags.roots(), sections.reader("fs"));
        Path skillsDir = path(
                        null, "TANDEM_SKILLS_DIR", sections.reader("skills").path("dir"))
                .orElse((Files.isDirectory(source) ? source : repo.resolve("clients"))
                        .resolve("shared")
                        .resolve("skills"));
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
                sections,
                home);
    }

    private List<Path> roots(List<Path> flagRoots, Section fs) {
        if (!flagRoots.isEmpty()) {
            return flagRoots.stream().map(p -> fromShell(p.toString())).toList();
        }
        Optional<String> envRoots = nonBlankEnv("TANDEM_ROOTS");
        if (envRoots.isPresent()) {
            return Arrays.stream(envRoots.get().split(File.pathSeparator, -1))
                    .filter(s -> !s.isBlank())
                    .map(this::fromShell)
                    .toList();
        }
        // none configured: the fs and git tools serve no files (never the folder the hub happened to start in)
        return fs.paths("roots").orElse(List.of());
    }

    /** Returns the person's own content folder: {@code [source] dir}, else {@code ~/.tandem/source}. */
    private Path sourceDir(Sections sections) {
        return sections.reader("source").path("dir").orElse(layout().sourceDir());
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
        Optional<String> value = nonBlankEnv(envName);
        if (value.isPresent()) {
            return Optional.of(fromEnv.apply(value.get().strip()));
        }
        return fromFile;
    }

    private Optional<Path> path(Path flag, String envName, Optional<Path> fromFile) {
        return pick(flag == null ? null : fromShell(flag.toString()), envName, this::fromShell, fromFile);
    }

    private long whole(
            Long flag,
            String flagName,
            String envName,
            Section section,
            String key,
            long min,
            long max,
            long fallback) {
        if (flag != null) {
            return inRange(flagName, flag, min, max);
        }
        Optional<String> value = nonBlankEnv(envName);
        if (value.isPresent()) {
            try {
                return inRange(envName, Long.parseLong(value.get().strip()), min, max);
            } catch (NumberFormatException e) {
                throw new ConfigException(envName + ": expected a whole number, got '" + value.get() + "'", e);
            }
        }
        return section.whole(key, min, max, fallback);
    }

    private long whole(
            Integer flag,
            String flagName,
            String envName,
            Section section,
            String key,
            long min,
            long max,
            long fallback) {
        return whole(flag == null ? null : flag.longValue(), flagName, envName, section, key, min, max, fallback);
    }

    private static long inRange(String where, long value, long min, long max) {
        if (value < min || value > max) {
            throw new ConfigException(
                    where + ": expected a whole number from " + min + " to " + max + ", got " + value);
        }
        return value;
    }

    private static boolean bool(String name, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(name + ": expected true or false, got '" + value + "'");
        };
    }

    private Optional<String> nonBlankEnv(String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
    }

    private Path fromShell(String path) {
        return ConfigPaths.fromWorkingDir(path, workingDir, home);
    }
}
