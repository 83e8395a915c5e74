package dev.tandem.hub.cli;

import dev.tandem.core.config.ConfigException;
import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.HubFlags;
import dev.tandem.core.json.Json;
import dev.tandem.hub.auth.TokenFile;
import dev.tandem.hub.auth.TokenFile.TokenFileException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tandem doctor}: one line per check (ok / warn / fail, with the fix); exit 0, 1 (warnings) or 2 (failures). */
@Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        description = "Check the JDK, the token file, the running hub and Codex's settings; print the fix for each.",
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

    @Option(names = "--json", description = "Print the checks as a JSON array of {check, status, detail, fix}.")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        HubFlags flags = new HubFlags(null, null, null, null, null, null, null, null, null, null);
        HubConfig cfg = Environment.loader().load(Optional.ofNullable(config), flags);
        List<DoctorCheck> checks = new ArrayList<>();
        checks.add(jdk());
        Optional<String> token = token(cfg, checks);
        checks.add(token.map(t -> hub(cfg, t))
                .orElseGet(() -> DoctorCheck.fail("hub", "not checked: no usable token", "fix the token check first")));
        checks.add(codexMemories(codexHome(cfg)));
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
        String where = cfg.file().toString();
        HubLogin login =
                new HubLogin(cfg.host(), cfg.port(), token, cfg.tokenFile().toString(), where);
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

    private Path codexHome(HubConfig cfg) {
        if (codexHome != null) {
            return codexHome;
        }
        String env = System.getenv("CODEX_HOME");
        return env == null || env.isBlank() ? cfg.home().resolve(".codex") : Path.of(env);
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
            out.println(Json.mapper().writeValueAsString(rows));
        } else {
            checks.forEach(c -> out.println(c.line()));
        }
        out.flush();
    }
}
