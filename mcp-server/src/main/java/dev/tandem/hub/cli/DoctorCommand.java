package dev.tandem.hub.cli;

import dev.tandem.core.cli.TerminalText;
import dev.tandem.core.config.ConfigException;
import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.HubConfigLoader;
import dev.tandem.core.config.HubFlags;
import dev.tandem.core.config.TokenFile;
import dev.tandem.core.config.TokenFile.TokenFileException;
import dev.tandem.core.json.Json;
import dev.tandem.hub.jobs.EngineBinaries;
import dev.tandem.hub.jobs.JobSettings;
import dev.tandem.sync.SyncMain;
import dev.tandem.sync.runtime.Engine;
import dev.tandem.sync.runtime.Settings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code tandem doctor}: one line per check (ok / warn / fail, with the fix); exit 0, 1 (warnings) or 2 (failures). */
@Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        description = "Check the JDK, the token file, the running hub, each client (version, auth helper, its own"
                + " reading of the managed entry), drift and Codex's settings; print the fix for each.",
        footerHeading = "%nExample:%n",
        footer = "  tandem doctor --json | jq '.[] | select(.status != \"ok\")'")
public final class DoctorCommand implements Callable<Integer> {
    private static final int MIN_JDK = 21;

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Hub configuration (default: ~/.tandem/hub.toml).")
    Path config;

    @Option(
            names = "--codex-home",
            paramLabel = "DIR",
            description = "Codex's home (default: $CODEX_HOME or ~/.codex).")
    Path codexHome;

    @Option(names = "--home", paramLabel = "DIR", description = "Check this home instead of $HOME.")
    Path home;

    @Option(
            names = "--repo",
            paramLabel = "DIR",
            description = "The checkout whose clients/ the drift check compares with (default: the one holding"
                    + " bin/tandem).")
    Path repo;

    @Option(names = "--json", description = "Print the checks as a JSON array of {check, status, detail, fix}.")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        Path checkout = checkout();
        Map<String, String> env = new HashMap<>(System.getenv());
        HubConfigLoader loader = new HubConfigLoader(
                Optional.ofNullable(home).orElseGet(() -> Path.of(System.getProperty("user.home"))),
                Path.of("").toAbsolutePath(),
                checkout,
                env);
        HubConfig cfg = loader.load(Optional.ofNullable(config), HubFlags.none());
        if (home != null) {
            env.put("HOME", cfg.home().toString());
        }
        env.put("CODEX_HOME", codexHome(cfg, env).toString());
        Settings settings = Settings.of(cfg, checkout, env, Engine.ALL, Optional.empty());
        List<DoctorCheck> checks = new ArrayList<>();
        checks.add(jdk());
        Optional<String> token = token(cfg, checks);
        checks.add(token.map(t -> hub(cfg, t))
                .orElseGet(() -> DoctorCheck.fail("hub", "not checked: no usable token", "fix the token check first")));
        EngineBinaries binaries = new EngineBinaries(JobSettings.from(cfg.reader("jobs")), env);
        Map<String, Path> engineTokens = new HashMap<>();
        HubConfig.ENGINES.forEach(e -> engineTokens.put(e, cfg.engineTokenFile(e)));
        checks.addAll(new ClientChecks(settings, env, token, engineTokens, binaries).all());
        checks.add(drift(cfg, checkout, env));
        checks.add(codexMemories(settings.codexHome()));
        print(checks);
        return checks.stream().mapToInt(c -> c.status().exit).max().orElse(0);
    }

    private static DoctorCheck jdk() {
        int feature = Runtime.version().feature();
        String detail = "Java " + Runtime.version() + " at " + System.getProperty("java.home");
        return feature >= MIN_JDK
                ? DoctorCheck.ok("jdk", detail)
                : DoctorCheck.fail("jdk", detail, "install a JDK " + MIN_JDK + " or newer and set JAVA_HOME to it");
    }

    private static Optional<String> token(HubConfig cfg, List<DoctorCheck> checks) {
        try {
            String token = new TokenFile(cfg.tokenFile()).read();
            checks.add(DoctorCheck.ok("token", cfg.tokenFile() + " (mode 0600)"));
            return Optional.of(token);
        } catch (TokenFileException e) {
            String message = e.getMessage();
            int at = message.indexOf("; ");
            String detail = at < 0 ? message : message.substring(0, at);
            String fix =
                    at < 0 ? "run 'tandem token'" : message.substring(at + 2).replace("fix it with: ", "");
            checks.add(DoctorCheck.fail("token", detail, fix));
            return Optional.empty();
        }
    }

    /** Proves the hub holds our token (nothing sent but a nonce), then asks it to initialize an MCP session. */
    private static DoctorCheck hub(HubConfig cfg, String token) {
        RunningHub at = RunningHub.of(cfg, false);
        HubLogin login = new HubLogin(
                at.host(),
                at.port(),
                token,
                cfg.tokenFile().toString(),
                at.source(cfg, cfg.file().toString()));
        try {
            login.proveHub();
            HttpResponse<String> r = initialize(login.base() + "/mcp", token);
            if (r.statusCode() != 200 || !r.body().contains("\"serverInfo\"")) {
                return DoctorCheck.fail(
                        "hub",
                        login.base() + "/mcp answered initialize with HTTP " + r.statusCode(),
                        "restart the hub: tandem serve (or tandem service install)");
            }
            return DoctorCheck.ok("hub", login.base() + "/mcp answers MCP initialize");
        } catch (ConfigException e) {
            return DoctorCheck.fail("hub", e.getMessage(), "start it: tandem serve (or tandem service install)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DoctorCheck.fail("hub", "interrupted", "run tandem doctor again");
        } catch (IOException e) {
            return DoctorCheck.fail("hub", "no MCP answer from " + login.base() + "/mcp", "start it: tandem serve");
        }
    }

    private static HttpResponse<String> initialize(String url, String token) throws IOException, InterruptedException {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"tandem-doctor\",\"version\":\"1\"}}}";
        try (HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                    .build();
            return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        }
    }

    private Path codexHome(HubConfig cfg, Map<String, String> env) {
        if (codexHome != null) {
            return codexHome.toAbsolutePath().normalize();
        }
        String set = env.get("CODEX_HOME");
        return set == null || set.isBlank()
                ? cfg.home().resolve(".codex")
                : cfg.home().resolve(set);
    }

    private Path checkout() {
        if (repo != null) {
            return repo.toAbsolutePath().normalize();
        }
        String set = System.getProperty("tandem.repo");
        return (set == null ? Path.of("") : Path.of(set)).toAbsolutePath().normalize();
    }

    /** Runs {@code tandem sync check-sync --json} on the same home, checkout and configuration. */
    private DoctorCheck drift(HubConfig cfg, Path checkout, Map<String, String> env) {
        if (!Files.isDirectory(checkout.resolve("clients"))) {
            return DoctorCheck.warn(
                    "drift",
                    "not checked: " + checkout + " holds no clients/",
                    "pass --repo DIR (the Tandem checkout)");
        }
        List<String> args = new ArrayList<>(List.of(
                "sync", "check-sync", "--json", "--home", cfg.home().toString(), "--repo", checkout.toString()));
        if (config != null) {
            args.addAll(List.of("--config", config.toString()));
        }
        CommandLine sync = SyncMain.commandLine(env);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        sync.setOut(new PrintWriter(out, true));
        sync.setErr(new PrintWriter(err, true));
        int exit = sync.execute(args.toArray(String[]::new));
        if (exit == 2) {
            String line = err.toString().lines().findFirst().orElse("check-sync failed");
            return DoctorCheck.fail(
                    "drift", line.replaceFirst("^tandem: ", ""), "fix that, then tandem sync check-sync");
        }
        JsonNode report = Json.mapper().readTree(out.toString());
        int checked = report.path("checked").asInt();
        if (exit == 0) {
            String stale = report.path("stale").isEmpty()
                    ? ""
                    : "; the memories section is stale (tandem sync push-runtime refreshes it)";
            return DoctorCheck.ok("drift", "in sync (" + checked + " files checked)" + stale);
        }
        Set<String> files = new LinkedHashSet<>();
        report.path("drift").forEach(d -> files.add(d.path("file").asString("")));
        return DoctorCheck.warn(
                "drift",
                files.size() + " of " + checked + " files drifted: " + String.join(", ", files),
                "tandem sync check-sync shows what; tandem sync push-runtime settles it");
    }

    /** Codex's own memories feature keeps MCP servers' memory tools from being used (docs/operations.md). */
    static DoctorCheck codexMemories(Path codexHome) {
        Path file = codexHome.resolve("config.toml");
        if (!Files.isRegularFile(file)) {
            return DoctorCheck.ok("codex-memory", file + " absent: Codex's memories feature is off");
        }
        TomlParseResult toml;
        try {
            toml = Toml.parse(file);
        } catch (IOException e) {
            return DoctorCheck.fail("codex-memory", file + ": cannot read (" + e.getMessage() + ")", "check its mode");
        }
        if (toml.hasErrors()) {
            return DoctorCheck.fail(
                    "codex-memory",
                    file + ":" + toml.errors().get(0).position().line() + ": "
                            + toml.errors().get(0).getMessage(),
                    "repair the TOML, then run: tandem sync check-sync");
        }
        if (Boolean.TRUE.equals(toml.getBoolean("features.memories"))) {
            return DoctorCheck.warn(
                    "codex-memory",
                    file + ": [features] memories = true, Codex's own memories are on",
                    "set memories = false under [features] in " + file + " to use the hub's memory tools");
        }
        return DoctorCheck.ok("codex-memory", file + ": Codex's memories feature is off");
    }

    private void print(List<DoctorCheck> checks) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            List<java.util.Map<String, String>> rows = checks.stream()
                    .map(c -> java.util.Map.of(
                            "check", c.name(),
                            "status", c.status().name().toLowerCase(java.util.Locale.ROOT),
                            "detail", c.detail(),
                            "fix", c.fix()))
                    .toList();
            out.println(TerminalText.json(Json.mapper().writeValueAsString(rows)));
        } else {
            checks.forEach(c -> out.println(c.line()));
        }
        out.flush();
    }
}
