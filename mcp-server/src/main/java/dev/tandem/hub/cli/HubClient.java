package dev.tandem.hub.cli;

import dev.tandem.core.config.ConfigException;
import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.HubFlags;
import dev.tandem.core.config.TokenFile;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How a command reaches the running hub's {@code /api/}: its address and token file from the same configuration
 * the hub reads (or flags), the token as a bearer header, and one clear line when no hub answers or it refuses.
 */
final class HubClient {
    static final JsonMapper JSON = JsonMapper.builder().build();

    /** The options that find the hub, shared by every command that talks to it. */
    static final class Options {
        @Option(
                names = "--config",
                paramLabel = "FILE",
                description = "Hub configuration (default: ~/.tandem/hub.toml).")
        Path config;

        @Option(names = "--host", description = "The hub's address (default: as the hub's configuration says).")
        String host;

        @Option(names = "--port", description = "The hub's port (default: as the hub's configuration says, 8765).")
        Integer port;

        @Option(names = "--token-file", paramLabel = "FILE", description = "Token file (default: ~/.tandem/token).")
        Path tokenFile;
    }

    /** Thrown when the hub answered with a refusal; the message is the hub's own line. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    private final HubConfig config;
    private final String base;
    private final String from;
    private final String token;

    private HubClient(HubConfig config, boolean explicit) {
        this.config = config;
        RunningHub hub = RunningHub.of(config, explicit);
        this.base = hub.mcpUrl(config).replaceFirst("/mcp$", "");
        this.from = hub.source(config, "port " + config.port() + " from " + describe(config));
        this.token = new TokenFile(config.tokenFile()).read();
    }

    static HubClient connect(Options o) {
        HubFlags flags = new HubFlags(o.host, o.port, null, o.tokenFile, null, null, null, null, null, null);
        return new HubClient(
                Environment.loader().load(Optional.ofNullable(o.config), flags), o.host != null || o.port != null);
    }

    /** GETs {@code path} and returns the JSON answer. */
    JsonNode get(String path, Duration timeout) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), timeout);
    }

    /** POSTs {@code body} (a JSON object) to {@code path} and returns the JSON answer. */
    JsonNode post(String path, JsonNode body) {
        return send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))),
                Duration.ofMinutes(2));
    }

    private JsonNode send(HttpRequest.Builder b, Duration timeout) {
        HttpRequest request =
                b.timeout(timeout).header("Authorization", "Bearer " + token).build();
        HttpResponse<String> response;
        try (HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigException("no hub answers on " + base + " (" + from
                    + "): start it with 'tandem serve', or pass --port/--config of the running hub");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("interrupted while waiting for the hub on " + base);
        }
        if (response.statusCode() == 401) {
            throw new ConfigException("the hub on " + base + " refused the token of " + config.tokenFile()
                    + ": is it another hub, or was the token rotated? pass --token-file or --config");
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (JacksonException e) {
            throw new ConfigException("the hub on " + base + " answered " + response.statusCode()
                    + " with something that is not JSON (an older Tandem without jobs?)");
        }
        if (response.statusCode() == 404 && body.path("error").isMissingNode()) {
            throw new ConfigException("the hub on " + base + " has no jobs API (an older Tandem?)");
        }
        if (response.statusCode() >= 400) {
            throw new Refused(response.statusCode(), body.path("error").asString("refused"));
        }
        return body;
    }

    private static String describe(HubConfig config) {
        return config.file().toFile().isFile() ? config.file().toString() : "the default (no " + config.file() + ")";
    }
}
