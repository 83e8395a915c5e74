package dev.tandem.hub.cli;

import dev.tandem.core.config.TokenFile;
import dev.tandem.core.json.Json;
import dev.tandem.hub.jobs.EngineBinaries;
import dev.tandem.hub.jobs.JobException;
import dev.tandem.hub.runs.Engine;
import dev.tandem.sync.runtime.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The checks of {@code tandem doctor} on each client: installed and at which version against the one Tandem is
 * tested with, the auth helper run the way the client runs it, and the managed entry read by the client's own
 * parser ({@code codex mcp list --json}, {@code claude mcp get tandem}).
 */
final class ClientChecks {
    static final String SERVER = "tandem";
    private static final Duration HELPER_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(30);
    /** The only variables Codex passes to {@code http_headers_helper} (docs: DESIGN.md). */
    private static final List<String> CODEX_HELPER_ENV =
            List.of("HOME", "LANG", "LC_ALL", "LOGNAME", "PATH", "SHELL", "TERM", "TMPDIR", "TZ", "USER");
    /** Claude Code run by doctor sends nothing anywhere but to the hub. */
    private static final Map<String, String> CLAUDE_QUIET = Map.of(
            "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1",
            "DISABLE_TELEMETRY", "1",
            "DISABLE_AUTOUPDATER", "1",
            "DISABLE_ERROR_REPORTING", "1");

    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");

    private final Settings settings;
    private final Map<String, String> env;
    private final Optional<String> token;
    private final Map<String, String> engineTokens;
    private final Map<String, Path> engineTokenFiles;
    private final EngineBinaries binaries;
    private final Properties tested;

    /**
     * @param token the person's token, when readable
     * @param engineTokenFiles each engine's own credential file ({@code codex}, {@code claude}); a missing or
     *     unreadable one counts as absent
     */
    ClientChecks(
            Settings settings,
            Map<String, String> env,
            Optional<String> token,
            Map<String, Path> engineTokenFiles,
            EngineBinaries binaries) {
        this.settings = settings;
        this.env = Map.copyOf(env);
        this.token = token;
        this.engineTokenFiles = Map.copyOf(engineTokenFiles);
        Map<String, String> read = new HashMap<>();
        engineTokenFiles.forEach((engine, file) -> {
            try {
                if (Files.isRegularFile(file)) {
                    read.put(engine, new TokenFile(file).read());
                }
            } catch (RuntimeException e) {
                // unreadable: the engine has no usable credential, which the check below reports
            }
        });
        this.engineTokens = Map.copyOf(read);
        this.binaries = binaries;
        this.tested = tested();
    }

    /** Returns the versions Tandem is tested with: {@code codex} and {@code claude}, as {@code .ci/versions} pins. */
    static Properties tested() {
        Properties p = new Properties();
        try (InputStream in = ClientChecks.class.getResourceAsStream("/tested-clients.properties")) {
            if (in == null) {
                throw new IllegalStateException("tested-clients.properties is missing from the jar");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** Returns the six checks: each client's version, auth helper and parsed entry. */
    List<DoctorCheck> all() throws InterruptedException {
        List<DoctorCheck> checks = new ArrayList<>();
        for (Engine engine : Engine.values()) {
            Optional<Path> bin = binary(engine, checks);
            checks.add(engine == Engine.CODEX ? codexAuth() : claudeAuth());
            checks.add(bin.map(b -> parsed(engine, b))
                    .orElseGet(() -> DoctorCheck.warn(
                            engine.wireName() + "-config",
                            "not checked: " + engine.wireName() + " is not installed",
                            "install it, or set [jobs] " + engine.wireName() + " in hub.toml")));
        }
        return checks;
    }

    private Optional<Path> binary(Engine engine, List<DoctorCheck> checks) throws InterruptedException {
        String name = engine.wireName();
        Path bin;
        try {
            bin = binaries.find(engine);
        } catch (JobException e) {
            checks.add(DoctorCheck.warn(name, e.getMessage(), "install " + name + " " + tested.getProperty(name)));
            return Optional.empty();
        }
        Captured run;
        try {
            run = Captured.run(List.of(bin.toString(), "--version"), env, settings.home(), CLI_TIMEOUT);
        } catch (IOException e) {
            checks.add(DoctorCheck.fail(name, bin + ": cannot run it (" + e.getMessage() + ")", "reinstall " + name));
            return Optional.empty();
        }
        Matcher m = VERSION.matcher(run.out());
        if (run.exit() != 0 || !m.find()) {
            checks.add(DoctorCheck.fail(
                    name,
                    bin + " --version failed (exit " + run.exit() + "): " + run.firstErrorLine(),
                    "reinstall " + name));
            return Optional.empty();
        }
        String installed = m.group();
        String want = tested.getProperty(name);
        int cmp = compare(installed, want);
        String detail = bin + " " + installed;
        if (cmp == 0) {
            checks.add(DoctorCheck.ok(name, detail + ", the version Tandem is tested with"));
        } else if (cmp > 0) {
            checks.add(DoctorCheck.warn(
                    name,
                    detail + " is newer than " + want + ", the version Tandem is tested with",
                    "run tandem sync check-sync after each use; pin " + name + " " + want + " if its config breaks"));
        } else {
            checks.add(DoctorCheck.warn(
                    name,
                    detail + " is older than " + want + ", the version Tandem is tested with",
                    "upgrade " + name + " to " + want));
        }
        return Optional.of(bin);
    }

    /** Compares two {@code major.minor.patch} versions. */
    static int compare(String a, String b) {
        Matcher x = VERSION.matcher(a);
        Matcher y = VERSION.matcher(b);
        if (!x.find() || !y.find()) {
            throw new IllegalArgumentException("not a version: " + a + " / " + b);
        }
        for (int i = 1; i <= 3; i++) {
            int c = Long.compare(Long.parseLong(x.group(i)), Long.parseLong(y.group(i)));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** Runs {@code http_headers_helper} as Codex does: {@code sh -c CMD} with only Codex's ten variables. */
    private DoctorCheck codexAuth() throws InterruptedException {
        String check = "codex-auth";
        Path file = settings.codexHome().resolve("config.toml");
        if (!Files.isRegularFile(file)) {
            return DoctorCheck.warn(check, file + " is absent", "tandem sync push-runtime");
        }
        TomlTable server;
        try {
            TomlParseResult toml = Toml.parse(file);
            if (toml.hasErrors()) {
                return DoctorCheck.fail(check, "not checked: " + file + " does not parse", "see codex-memory");
            }
            server = toml.getTable("mcp_servers." + SERVER);
        } catch (IOException e) {
            return DoctorCheck.warn(check, file + ": cannot read it", "tandem sync push-runtime");
        }
        if (server == null) {
            return DoctorCheck.warn(check, file + " has no [mcp_servers.tandem]", "tandem sync push-runtime");
        }
        String helper = server.getString("http_headers_helper");
        if (helper == null) {
            return envMode(check, "codex", server.getString("bearer_token_env_var"), file);
        }
        Map<String, String> helperEnv = new HashMap<>();
        for (String name : CODEX_HELPER_ENV) {
            Optional.ofNullable(env.get(name)).ifPresent(v -> helperEnv.put(name, v));
        }
        helperEnv.put("HOME", settings.home().toString());
        return helper(check, "codex", helper, helperEnv, settings.home(), file);
    }

    /** Runs {@code headersHelper} as Claude Code does: through the shell, in {@code ~/.claude}, its environment. */
    private DoctorCheck claudeAuth() throws InterruptedException {
        String check = "claude-auth";
        Path file = settings.claudeJson();
        if (!Files.isRegularFile(file)) {
            return DoctorCheck.warn(check, file + " is absent", "tandem sync push-runtime");
        }
        JsonNode server;
        try {
            server = Json.mapper().readTree(file.toFile()).path("mcpServers").path(SERVER);
        } catch (JacksonException | IllegalArgumentException e) {
            return DoctorCheck.fail(check, file + ": not valid JSON", "repair it, then tandem sync push-runtime");
        }
        if (server.isMissingNode()) {
            return DoctorCheck.warn(check, file + " has no mcpServers.tandem", "tandem sync push-runtime");
        }
        String helper = server.path("headersHelper").asString("");
        if (helper.isEmpty()) {
            String header = server.path("headers").path("Authorization").asString("");
            Matcher var = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}").matcher(header);
            return envMode(check, "claude", var.find() ? var.group(1) : null, file);
        }
        Map<String, String> helperEnv = new HashMap<>(env);
        helperEnv.put("HOME", settings.home().toString());
        helperEnv.put("CLAUDE_CODE_MCP_SERVER_NAME", SERVER);
        helperEnv.put("CLAUDE_CODE_MCP_SERVER_URL", server.path("url").asString(""));
        Path cwd = Files.isDirectory(settings.claudeDir()) ? settings.claudeDir() : settings.home();
        return helper(check, "claude", helper, helperEnv, cwd, file);
    }

    private DoctorCheck envMode(String check, String engine, String variable, Path file) {
        if (variable == null) {
            return DoctorCheck.fail(
                    check,
                    file + ": the tandem entry names neither a helper nor a variable",
                    "tandem sync push-runtime");
        }
        String value = env.get(variable);
        if (value == null || value.isBlank()) {
            return DoctorCheck.warn(
                    check,
                    file + " reads $" + variable + ", which is not set in this shell",
                    "open a new shell (tandem sync push-runtime --auth env wrote the export into your shell rc)");
        }
        return credential(
                check,
                engine,
                value,
                "$" + variable,
                file + " reads $" + variable + ", which is set",
                "open a new shell after tandem token");
    }

    /**
     * Judges the token an engine's entry gives: its own credential is right; the person's token still opens the hub,
     * but as engine {@code other} (no engine memories or tool profile), as a home pushed before engine credentials;
     * anything else is refused by the hub.
     */
    private DoctorCheck credential(String check, String engine, String value, String what, String ok, String fix) {
        Optional<String> own = Optional.ofNullable(engineTokens.get(engine));
        Path ownFile = engineTokenFiles.get(engine);
        if (own.isPresent() && own.get().equals(value)) {
            return DoctorCheck.ok(check, ok + " (" + engine + "'s own credential)");
        }
        if (token.isPresent() && token.get().equals(value)) {
            return DoctorCheck.warn(
                    check,
                    what + " gives the person's token, so the hub sees " + engine
                            + " as 'other' (no engine memories or tool profile)",
                    "tandem sync push-runtime (it gives each engine its own credential, " + ownFile + ")");
        }
        if (own.isEmpty() && token.isEmpty()) {
            return DoctorCheck.ok(check, ok);
        }
        return DoctorCheck.fail(
                check,
                what + " gives a token that neither " + ownFile + " nor " + settings.tokenFile() + " holds",
                fix);
    }

    private DoctorCheck helper(
            String check, String engine, String command, Map<String, String> helperEnv, Path cwd, Path file)
            throws InterruptedException {
        Captured run;
        try {
            run = Captured.run(List.of("/bin/sh", "-c", command), helperEnv, cwd, HELPER_TIMEOUT);
        } catch (IOException e) {
            return DoctorCheck.fail(check, "/bin/sh: cannot run it (" + e.getMessage() + ")", "install a POSIX sh");
        }
        String label = "the helper of " + file + " (" + command + ")";
        if (!run.finished()) {
            return DoctorCheck.fail(check, label + " did not answer in 10 s", "tandem sync push-runtime");
        }
        if (run.exit() != 0) {
            return DoctorCheck.fail(
                    check,
                    label + " failed (exit " + run.exit() + "): " + redact(run.firstErrorLine()),
                    "tandem sync push-runtime; tandem token if the token file is missing");
        }
        String authorization;
        try {
            JsonNode printed = Json.mapper().readTree(run.out());
            authorization = printed.isObject() ? printed.path("Authorization").asString("") : "";
        } catch (JacksonException e) {
            authorization = "";
        }
        if (!authorization.startsWith("Bearer ") || authorization.length() <= "Bearer ".length()) {
            return DoctorCheck.fail(
                    check, label + " printed no {\"Authorization\":\"Bearer …\"}", "tandem sync push-runtime");
        }
        return credential(
                check,
                engine,
                authorization.substring("Bearer ".length()),
                label,
                label + " prints the hub's Authorization header",
                "tandem sync push-runtime (the helper reads the engine's credential)");
    }

    private String redact(String line) {
        return token.filter(t -> !t.isEmpty())
                .map(t -> line.replace(t, "[token]"))
                .orElse(line);
    }

    /** Reads the managed entry with the client's own parser and compares its URL with the hub's. */
    private DoctorCheck parsed(Engine engine, Path bin) {
        try {
            return engine == Engine.CODEX ? codexParsed(bin) : claudeParsed(bin);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DoctorCheck.fail(engine.wireName() + "-config", "interrupted", "run tandem doctor again");
        } catch (IOException e) {
            return DoctorCheck.fail(
                    engine.wireName() + "-config", bin + ": cannot run it (" + e.getMessage() + ")", "reinstall it");
        }
    }

    private DoctorCheck codexParsed(Path bin) throws IOException, InterruptedException {
        String check = "codex-config";
        Path file = settings.codexHome().resolve("config.toml");
        Map<String, String> cliEnv = new HashMap<>(env);
        cliEnv.put("HOME", settings.home().toString());
        cliEnv.put("CODEX_HOME", settings.codexHome().toString());
        Captured run =
                Captured.run(List.of(bin.toString(), "mcp", "list", "--json"), cliEnv, settings.home(), CLI_TIMEOUT);
        if (run.exit() != 0 || !run.out().strip().startsWith("[")) {
            return DoctorCheck.fail(
                    check,
                    "codex mcp list cannot read " + file + ": " + codexError(run),
                    "repair " + file + ", then tandem sync push-runtime");
        }
        JsonNode list = Json.mapper().readTree(run.out());
        for (JsonNode server : list) {
            if (SERVER.equals(server.path("name").asString(""))) {
                String url = server.path("transport").path("url").asString("");
                if (!url.equals(settings.hubUrl())) {
                    return DoctorCheck.warn(
                            check,
                            "codex reads tandem's url as " + url + ", the hub is " + settings.hubUrl(),
                            "tandem sync push-runtime");
                }
                if (!server.path("enabled").asBoolean(true)) {
                    return DoctorCheck.warn(
                            check, "codex reads the tandem server as disabled", "tandem sync push-runtime");
                }
                return DoctorCheck.ok(check, "codex mcp list reads tandem at " + url + " from " + file);
            }
        }
        return DoctorCheck.warn(check, "codex mcp list has no tandem server in " + file, "tandem sync push-runtime");
    }

    /** Codex names the file, line and column of a parse error on its last stderr lines. */
    private static String codexError(Captured run) {
        List<String> lines = run.err()
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("WARNING:"))
                .toList();
        return lines.isEmpty()
                ? "exit " + run.exit()
                : lines.get(lines.size() - 1).replaceFirst("^\\d+: ", "");
    }

    private DoctorCheck claudeParsed(Path bin) throws IOException, InterruptedException {
        String check = "claude-config";
        Path file = settings.claudeJson();
        if (!Files.isRegularFile(file)) {
            return DoctorCheck.warn(check, file + " is absent", "tandem sync push-runtime");
        }
        try {
            Json.mapper().readTree(file.toFile());
        } catch (JacksonException e) {
            // claude itself would move the file aside as corrupted: never hand it a broken one
            return DoctorCheck.fail(check, file + ": not valid JSON", "repair it, then tandem sync push-runtime");
        }
        Map<String, String> cliEnv = new HashMap<>(env);
        cliEnv.putAll(CLAUDE_QUIET);
        cliEnv.put("HOME", settings.home().toString());
        Captured run =
                Captured.run(List.of(bin.toString(), "mcp", "get", SERVER), cliEnv, settings.home(), CLI_TIMEOUT);
        if (run.exit() != 0) {
            return DoctorCheck.warn(
                    check, "claude mcp get tandem: " + redact(run.firstErrorLine()), "tandem sync push-runtime");
        }
        String url = field(run.out(), "URL");
        String status = field(run.out(), "Status");
        if (!url.equals(settings.hubUrl())) {
            return DoctorCheck.warn(
                    check,
                    "claude reads tandem's URL as " + url + ", the hub is " + settings.hubUrl(),
                    "tandem sync push-runtime");
        }
        return DoctorCheck.ok(
                check, "claude mcp get tandem reads " + url + " from " + file + " (" + redact(status) + ")");
    }

    /** Returns the value of a {@code Name: value} line of {@code claude mcp get}. */
    private static String field(String out, String name) {
        return out.lines()
                .map(String::strip)
                .filter(l -> l.startsWith(name + ": "))
                .map(l -> l.substring(name.length() + 2).strip())
                .findFirst()
                .orElse("");
    }
}
