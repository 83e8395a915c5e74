package dev.tandem.sync.runtime;

import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.HubConfigLoader;
import dev.tandem.core.config.HubFlags;
import dev.tandem.core.config.HubRuntime;
import dev.tandem.core.config.Section;
import dev.tandem.core.config.TandemLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a sync command needs to know about where things are, made once in the command from the hub's own
 * configuration ({@link HubConfig}, loaded by the one loader the hub uses).
 *
 * @param home the home every target path is under ({@code --home} or {@code $HOME})
 * @param repo the checkout whose {@code clients/} is the source
 * @param codexHome {@code $CODEX_HOME} or {@code ~/.codex}
 * @param claudeDir {@code $CLAUDE_CONFIG_DIR} or {@code ~/.claude}
 * @param claudeJson {@code $CLAUDE_CONFIG_DIR/.claude.json} or {@code ~/.claude.json}
 * @param engine the clients acted on
 * @param auth how the clients authenticate
 * @param hubUrl the hub's MCP endpoint
 * @param shellRc shell rc files that get the {@code TANDEM_TOKEN} block in env mode
 * @param env the process environment
 * @param config the hub's configuration: token file, data folder, port, as the hub resolves them
 * @param fleet with {@code --from}: the fleet hub the clients are wired to instead of the local one
 */
public record Settings(
        Path home,
        Path repo,
        Path codexHome,
        Path claudeDir,
        Path claudeJson,
        Engine engine,
        AuthMode auth,
        String hubUrl,
        List<Path> shellRc,
        Map<String, String> env,
        HubConfig config,
        Optional<FleetWiring> fleet) {
    private static final Set<String> SYNC_KEYS = Set.of("auth", "hub_url", "shell_rc");

    public Settings {
        shellRc = List.copyOf(shellRc);
        env = Map.copyOf(env);
    }

    /** Returns where Tandem's own files are under {@link #home}. */
    public TandemLayout layout() {
        return new TandemLayout(home);
    }

    /** Returns the hub's token file, as the hub resolves it. */
    public Path tokenFile() {
        return config.tokenFile();
    }

    /**
     * Returns the engine's own credential file: {@code tokens/ENGINE} beside the token file, or on a machine wired to
     * a fleet hub with its host key, the engine's derived key ({@code ~/.tandem/fleet/keys/ENGINE}).
     */
    public Path engineTokenFile(String engine) {
        return fleet.filter(FleetWiring::engineKeys)
                .map(f -> FleetWiring.keyFile(tandemDir(), engine))
                .orElseGet(() -> config.engineTokenFile(engine));
    }

    /** Returns these settings with the clients wired to the fleet hub of {@code wiring} (its URL, keys and CA). */
    public Settings withFleet(FleetWiring wiring) {
        return new Settings(
                home,
                repo,
                codexHome,
                claudeDir,
                claudeJson,
                engine,
                auth,
                wiring.mcpUrl(),
                shellRc,
                env,
                config,
                Optional.of(wiring));
    }

    public Path tandemDir() {
        return layout().dir();
    }

    public Path helper() {
        return layout().authHelper();
    }

    /** Returns {@code ~/.tandem/state}, where check-sync leaves its last result for the hub's dashboard. */
    public Path stateDir() {
        return layout().stateDir();
    }

    public Path manifest() {
        return layout().manifest();
    }

    public Path backups() {
        return layout().backups();
    }

    /** Returns which hub tools the clients run without asking ({@code [clients.codex]}, {@code [clients.claude]}). */
    public Approvals approvals() {
        return Approvals.from(config);
    }

    /**
     * Returns the source of what push deploys: the person's own folder ({@code [source] dir}, default {@code
     * ~/.tandem/source}) once {@code tandem init} made it, else the checkout's shipped {@code clients/}.
     */
    public Path clients() {
        Path own = config.sourceDir();
        return java.nio.file.Files.isDirectory(own) ? own : repo.resolve("clients");
    }

    /**
     * Returns the source folder as messages name it: {@code ~/.tandem/source/} (under the home, with {@code ~}), or
     * {@code clients/} for the checkout's shipped examples.
     */
    public String sourceLabel() {
        Path source = clients();
        if (source.equals(repo.resolve("clients"))) {
            return "clients/";
        }
        return (source.startsWith(home) ? "~/" + home.relativize(source) : source.toString()) + "/";
    }

    /** Loads the hub's default configuration under {@code home} and makes the settings from it (see {@link #of}). */
    public static Settings load(Path home, Path repo, Map<String, String> env, Engine engine, Optional<AuthMode> flag) {
        HubConfig config = new HubConfigLoader(home, Path.of("").toAbsolutePath(), repo, env)
                .load(Optional.empty(), HubFlags.none());
        return of(config, repo, env, engine, flag);
    }

    /**
     * Makes the settings from the hub's configuration: the hub URL and token file as the hub has them, and
     * {@code [sync] auth, hub_url, shell_rc}; {@code authFlag} ({@code --auth}) wins over {@code [sync] auth}.
     */
    public static Settings of(
            HubConfig config, Path repo, Map<String, String> env, Engine engine, Optional<AuthMode> authFlag) {
        Path home = config.home();
        Section sync = config.reader("sync");
        sync.allowOnly(SYNC_KEYS);
        // [sync] hub_url, else the hub running now (it may have started on another port than hub.toml names)
        String url = sync.nonBlank("hub_url")
                .or(() -> HubRuntime.running(config.layout()).map(HubRuntime::url))
                .orElseGet(config::clientUrl);
        AuthMode auth = authFlag.orElseGet(
                () -> sync.nonBlank("auth").map(v -> authOf(sync, v)).orElse(AuthMode.HELPER));
        List<Path> rc = sync.paths("shell_rc").orElse(List.of(home.resolve(".bashrc")));
        Path codexHome = dir(env.get("CODEX_HOME"), home).orElse(home.resolve(".codex"));
        Optional<Path> claudeConfig = dir(env.get("CLAUDE_CONFIG_DIR"), home);
        Path claudeDir = claudeConfig.orElse(home.resolve(".claude"));
        Path claudeJson = claudeConfig.map(d -> d.resolve(".claude.json")).orElse(home.resolve(".claude.json"));
        return new Settings(
                home, repo, codexHome, claudeDir, claudeJson, engine, auth, url, rc, env, config, Optional.empty());
    }

    private static AuthMode authOf(Section sync, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "helper" -> AuthMode.HELPER;
            case "env" -> AuthMode.ENV;
            default -> throw sync.error("auth", "must be \"helper\" or \"env\", not \"" + value + "\"");
        };
    }

    /** Returns a client folder from the environment: {@code ~} is the home, relative is against the home. */
    private static Optional<Path> dir(String value, Path home) {
        return Optional.ofNullable(value).filter(v -> !v.isBlank()).map(v -> {
            if (v.equals("~")) {
                return home;
            }
            return v.startsWith("~/") ? home.resolve(v.substring(2)) : home.resolve(v);
        });
    }
}
