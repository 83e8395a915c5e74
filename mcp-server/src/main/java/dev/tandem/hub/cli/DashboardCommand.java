package dev.tandem.hub.cli;

import dev.tandem.core.config.ConfigException;
import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.HubFlags;
import dev.tandem.core.json.Json;
import dev.tandem.hub.auth.TokenFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * {@code tandem dashboard}: asks the running hub for a one-time login code and prints the login URL (valid once,
 * for two minutes); {@code --open} also hands it to {@code xdg-open}.
 */
@Command(
        name = "dashboard",
        mixinStandardHelpOptions = true,
        description = "Print a one-time login URL for the running hub's dashboard (valid once, for two minutes).",
        footerHeading = "%nExample:%n",
        footer = "  tandem dashboard --open")
public final class DashboardCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Hub configuration (default: ~/.tandem/hub.toml).")
    Path config;

    @Option(names = "--host", description = "The hub's address (default: as the hub's configuration says).")
    String host;

    @Option(names = "--port", description = "The hub's port (default: as the hub's configuration says, 8765).")
    Integer port;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Token file (default: ~/.tandem/token).")
    Path tokenFile;

    @Option(names = "--open", description = "Also open the URL in a browser (xdg-open).")
    boolean open;

    @Override
    public Integer call() throws InterruptedException {
        HubFlags flags = new HubFlags(host, port, null, tokenFile, null, null, null, null, null, null);
        HubConfig cfg = Environment.loader().load(Optional.ofNullable(config), flags);
        String token = new TokenFile(cfg.tokenFile()).read();
        String base = cfg.mcpUrl(cfg.port()).replaceFirst("/mcp$", "");
        String code = loginCode(base, token, cfg);
        String url = base + "/dashboard/login?code=" + code;
        PrintWriter out = spec.commandLine().getOut();
        out.println(url);
        out.flush();
        if (open) {
            openInBrowser(url);
        }
        return 0;
    }

    private static String loginCode(String base, String token, HubConfig cfg) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/login-codes"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        HttpResponse<String> response;
        try (HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigException("no hub answers on " + base + " (port " + cfg.port() + " from " + describe(cfg)
                    + "): start it with 'tandem serve', or pass --port/--config of the running hub");
        }
        if (response.statusCode() == 401) {
            throw new ConfigException("the hub on " + base + " refused the token of " + cfg.tokenFile()
                    + ": is it another hub, or was the token rotated? pass --token-file or --config");
        }
        if (response.statusCode() == 404) {
            throw new ConfigException(
                    "the hub on " + base + " has no dashboard ([dashboard] enabled = false, or an" + " older Tandem)");
        }
        if (response.statusCode() != 200) {
            throw new ConfigException(
                    "the hub on " + base + " answered " + response.statusCode() + ": " + response.body());
        }
        try {
            JsonNode code = Json.mapper().readTree(response.body()).path("code");
            if (!code.isString()) {
                throw new ConfigException("the hub on " + base + " sent no login code");
            }
            return code.asString();
        } catch (JacksonException e) {
            throw new ConfigException("the hub on " + base + " sent no login code: " + e.getMessage(), e);
        }
    }

    private static String describe(HubConfig cfg) {
        return cfg.file().toFile().isFile() ? cfg.file().toString() : "the default (no " + cfg.file() + ")";
    }

    private void openInBrowser(String url) {
        try {
            new ProcessBuilder("xdg-open", url)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            spec.commandLine()
                    .getErr()
                    .println("tandem: cannot run xdg-open: " + e.getMessage() + "; open the URL above yourself");
        }
    }
}
