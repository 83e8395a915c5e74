package dev.tandem.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.tomlj.TomlTable;

/**
 * The hub's settings, resolved once at start from {@code hub.toml} &lt; environment &lt; flags.
 *
 * @param host address to bind; loopback unless {@code allowRemote}
 * @param port TCP port, 0 for a free one
 * @param allowRemote whether a non-loopback bind was explicitly allowed
 * @param tokenFile the bearer token file
 * @param dataDir where durable state (the memory database) lives
 * @param portfolioDir the context portfolio served by the portfolio tools
 * @param roots the folders the fs and git tools are confined to
 * @param maxBodyBytes the largest accepted request body
 * @param sessionIdleTimeout how long an idle MCP session lives
 * @param keepAliveInterval how often an open GET stream gets a keep-alive comment
 * @param skillsDir the shared skills served as {@code skill://} resources and prompts
 * @param sections the configuration file that was read (possibly absent) and the environment, so capabilities
 *     read their own sections ({@code [fs]}, {@code [tasks]}, {@code [sync]})
 * @param home the user's home as {@code ~} expands (where {@code ~/.tandem} lives)
 */
public record HubConfig(
        String host,
        int port,
        boolean allowRemote,
        Path tokenFile,
        Path dataDir,
        Path portfolioDir,
        List<Path> roots,
        long maxBodyBytes,
        Duration sessionIdleTimeout,
        Duration keepAliveInterval,
        Path skillsDir,
        Sections sections,
        Path home) {

    public HubConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tokenFile, "tokenFile");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(portfolioDir, "portfolioDir");
        Objects.requireNonNull(skillsDir, "skillsDir");
        Objects.requireNonNull(sections, "sections");
        Objects.requireNonNull(home, "home");
        roots = List.copyOf(roots);
        if (port < 0 || port > 65535) {
            throw new ConfigException("port must be between 0 and 65535, got " + port);
        }
        if (maxBodyBytes <= 0) {
            throw new ConfigException("max body size must be positive, got " + maxBodyBytes);
        }
        if (sessionIdleTimeout.isNegative() || sessionIdleTimeout.isZero()) {
            throw new ConfigException("session idle timeout must be positive, got " + sessionIdleTimeout);
        }
        if (keepAliveInterval.isNegative() || keepAliveInterval.isZero()) {
            throw new ConfigException("keep-alive interval must be positive, got " + keepAliveInterval);
        }
    }

    /** The engines that get a credential of their own ({@code tandem sync push-runtime} wires each). */
    public static final List<String> ENGINES = List.of("codex", "claude");

    /**
     * Returns the credential file of {@code engine}: {@code tokens/ENGINE} beside the person's token file (so
     * {@code ~/.tandem/tokens/codex} by default).
     *
     * @throws ConfigException when {@code engine} is not one of {@link #ENGINES}
     */
    public Path engineTokenFile(String engine) {
        if (!ENGINES.contains(engine)) {
            throw new ConfigException("unknown engine '" + engine + "'; known: " + String.join(", ", ENGINES));
        }
        return tokenFile.resolveSibling("tokens").resolve(engine);
    }

    /** Returns a copy with another request body limit. */
    public HubConfig withMaxBodyBytes(long bytes) {
        return copy(roots, bytes, sessionIdleTimeout);
    }

    /** Returns a copy with other roots (a test's hub rooted where the test needs it). */
    public HubConfig withRoots(List<Path> others) {
        return copy(List.copyOf(others), maxBodyBytes, sessionIdleTimeout);
    }

    /** Returns a copy with another idle session lifetime. */
    public HubConfig withSessionIdleTimeout(Duration idle) {
        return copy(roots, maxBodyBytes, idle);
    }

    /** Returns a copy with the settings the withers change; every other component is this one's. */
    private HubConfig copy(List<Path> newRoots, long newMaxBodyBytes, Duration newSessionIdleTimeout) {
        return new HubConfig(
                host,
                port,
                allowRemote,
                tokenFile,
                dataDir,
                portfolioDir,
                newRoots,
                newMaxBodyBytes,
                newSessionIdleTimeout,
                keepAliveInterval,
                skillsDir,
                sections,
                home);
    }

    /** Returns the configuration file that was read; it may not exist (then every section is empty). */
    public Path file() {
        return sections.file();
    }

    /** Returns the whole parsed configuration file. */
    public TomlTable toml() {
        return sections.toml();
    }

    /** Returns the table {@code [name]} of the configuration file, or an empty table. */
    public TomlTable section(String name) {
        return sections.table(name);
    }

    /** Returns a typed reader over {@code [name]} whose errors name the file, line and key. */
    public Section reader(String name) {
        return sections.reader(name);
    }

    /**
     * Returns one line per section or key of the file that no part of Tandem reads (a typo such as {@code prot =
     * 8770}), with its file, line and a "did you mean"; commands print them as warnings.
     */
    public List<String> warnings() {
        return KnownKeys.warnings(sections);
    }

    /** Returns the person's own content folder: {@code [source] dir}, else {@code ~/.tandem/source}. */
    public Path sourceDir() {
        return sections.reader("source").path("dir").orElse(layout().sourceDir());
    }

    /** Returns where Tandem keeps its own files under this home. */
    public TandemLayout layout() {
        return new TandemLayout(home);
    }

    /** Returns {@code ~/.tandem/state}, where the sync tool leaves its last check-sync result. */
    public Path stateDir() {
        return layout().stateDir();
    }

    /** Returns the URL the hub reports once bound to {@code boundPort}. */
    public String mcpUrl(int boundPort) {
        return url(host, boundPort);
    }

    /**
     * Returns the URL a client on this machine connects to: the configured host and port, with a wildcard bind
     * address ({@code 0.0.0.0}, {@code ::}) replaced by loopback, which such a hub also answers on.
     */
    public String clientUrl() {
        boolean wildcard = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
        return url(wildcard ? "127.0.0.1" : host, port);
    }

    private static String url(String host, int port) {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "http://" + h + ":" + port + "/mcp";
    }
}
