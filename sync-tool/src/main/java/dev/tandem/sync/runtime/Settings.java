package dev.tandem.sync.runtime;

import dev.tandem.sync.engine.Contents;
import dev.tandem.sync.engine.InputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * Everything a sync command needs to know about where things are, loaded once in the command.
 *
 * @param home the home every target path is under ({@code --home} or {@code $HOME})
 * @param repo the checkout whose {@code clients/} is the source
 * @param codexHome {@code $CODEX_HOME} or {@code ~/.codex}
 * @param claudeDir {@code $CLAUDE_CONFIG_DIR} or {@code ~/.claude}
 * @param claudeJson {@code $CLAUDE_CONFIG_DIR/.claude.json} or {@code ~/.claude.json}
 * @param engine the clients acted on
 * @param auth how the clients authenticate
 * @param hubUrl the hub's MCP endpoint
 * @param tokenFile the hub's token file
 * @param shellRc shell rc files that get the {@code TANDEM_TOKEN} block in env mode
 * @param env the process environment
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
        Path tokenFile,
        List<Path> shellRc,
        Map<String, String> env) {
    public static final int DEFAULT_PORT = 8765;

    public Settings {
        shellRc = List.copyOf(shellRc);
        env = Map.copyOf(env);
    }

    public Path tandemDir() {
        return home.resolve(".tandem");
    }

    public Path helper() {
        return tandemDir().resolve("bin").resolve("auth-header");
    }

    /** Returns {@code ~/.tandem/state}, where check-sync leaves its last result for the hub's dashboard. */
    public Path stateDir() {
        return tandemDir().resolve("state");
    }

    public Path manifest() {
        return tandemDir().resolve("manifest.json");
    }

    public Path backups() {
        return tandemDir().resolve("backups");
    }

    public Path clients() {
        return repo.resolve("clients");
    }

    /**
     * Loads the settings: flags first, then {@code ~/.tandem/hub.toml} ({@code [hub] port, host, token_file};
     * {@code [sync] auth, hub_url, shell_rc}), then defaults.
     */
    public static Settings load(Path home, Path repo, Map<String, String> env, Engine engine, Optional<AuthMode> flag) {
        Path hubToml = home.resolve(".tandem").resolve("hub.toml");
        TomlParseResult toml = parse(hubToml);
        TomlTable hub = Optional.ofNullable(toml.getTable("hub")).orElse(Toml.parse(""));
        TomlTable sync = Optional.ofNullable(toml.getTable("sync")).orElse(Toml.parse(""));
        long port = Optional.ofNullable(hub.getLong("port")).orElse((long) DEFAULT_PORT);
        String host = Optional.ofNullable(hub.getString("host"))
                .filter(h -> !h.equals("0.0.0.0") && !h.equals("::"))
                .orElse("127.0.0.1");
        String url = Optional.ofNullable(sync.getString("hub_url"))
                .orElse("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/mcp");
        Path tokenFile = Optional.ofNullable(hub.getString("token_file"))
                .map(s -> expand(home, s))
                .orElse(home.resolve(".tandem").resolve("token"));
        AuthMode auth = flag.orElseGet(() -> authOf(hubToml, sync));
        List<Path> rc = new ArrayList<>();
        TomlArray rcArray = sync.getArray("shell_rc");
        if (rcArray != null) {
            for (int i = 0; i < rcArray.size(); i++) {
                rc.add(expand(home, String.valueOf(rcArray.get(i))));
            }
        } else {
            rc.add(home.resolve(".bashrc"));
        }
        Path codexHome = dir(env.get("CODEX_HOME"), home).orElse(home.resolve(".codex"));
        Optional<Path> claudeConfig = dir(env.get("CLAUDE_CONFIG_DIR"), home);
        Path claudeDir = claudeConfig.orElse(home.resolve(".claude"));
        Path claudeJson = claudeConfig.map(d -> d.resolve(".claude.json")).orElse(home.resolve(".claude.json"));
        return new Settings(home, repo, codexHome, claudeDir, claudeJson, engine, auth, url, tokenFile, rc, env);
    }

    private static AuthMode authOf(Path hubToml, TomlTable sync) {
        String value = sync.getString("auth");
        if (value == null) {
            return AuthMode.HELPER;
        }
        try {
            return AuthMode.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            var p = sync.inputPositionOf("auth");
            throw InputException.at(
                    hubToml,
                    p == null ? 1 : p.line(),
                    p == null ? 1 : p.column(),
                    "[sync] auth must be \"helper\" or \"env\", not \"" + value + "\"");
        }
    }

    private static Optional<Path> dir(String value, Path home) {
        return Optional.ofNullable(value).filter(v -> !v.isBlank()).map(v -> expand(home, v));
    }

    private static Path expand(Path home, String p) {
        if (p.equals("~")) {
            return home;
        }
        return p.startsWith("~/") ? home.resolve(p.substring(2)) : home.resolve(p);
    }

    private static TomlParseResult parse(Path file) {
        TomlParseResult result = Toml.parse(Contents.text(Contents.read(file)).orElse(""));
        if (result.hasErrors()) {
            var e = result.errors().get(0);
            throw InputException.at(file, e.position().line(), e.position().column(), e.getMessage());
        }
        return result;
    }
}
