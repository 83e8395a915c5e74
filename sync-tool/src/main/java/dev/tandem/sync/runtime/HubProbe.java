package dev.tandem.sync.runtime;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Asks the URL the clients are wired to whether a Tandem hub that takes this token answers there: {@code GET
 * /health} says it is a Tandem hub, a {@code ping} to {@code /mcp} with the token says it takes the token. Used by
 * check-sync, which only warns: the clients' files can be in sync while the hub is down or on another port.
 */
public final class HubProbe {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private HubProbe() {}

    /** Returns a warning when no Tandem hub that takes the token in {@code tokenFile} answers at {@code url}. */
    public static Optional<String> check(String url, Path tokenFile) {
        URI mcp;
        try {
            mcp = URI.create(url);
        } catch (IllegalArgumentException e) {
            return Optional.of("the clients are wired to '" + url + "', which is not a URL");
        }
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .build();
        try {
            HttpResponse<String> health = http.send(
                    HttpRequest.newBuilder(mcp.resolve("/health"))
                            .timeout(TIMEOUT)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (health.statusCode() != 200 || !health.body().contains("\"status\":\"ok\"")) {
                return Optional.of("the clients are wired to " + url + ", where something that is not a Tandem hub"
                        + " answers; start the hub there, or run 'tandem sync push-runtime' while it runs elsewhere");
            }
            Optional<String> token = token(tokenFile);
            if (token.isEmpty()) {
                return Optional.of(tokenFile + ": no readable token; run 'tandem token'");
            }
            HttpResponse<Void> ping = http.send(
                    HttpRequest.newBuilder(mcp)
                            .timeout(TIMEOUT)
                            .header("Authorization", "Bearer " + token.get())
                            .header("Content-Type", "application/json")
                            .header("Accept", "application/json, text/event-stream")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            if (ping.statusCode() == 401) {
                return Optional.of("the Tandem hub at " + url + " refuses the token of " + tokenFile
                        + " (another hub, or one with another token file); start the hub with this token file");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("no Tandem hub answers at " + url + ", where the clients are wired; start it with"
                    + " 'tandem serve' (or push again while it runs on another port)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static Optional<String> token(Path file) {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.US_ASCII).strip())
                    .filter(t -> !t.isEmpty());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
