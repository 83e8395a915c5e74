package dev.tandem.hub.cli;

import dev.tandem.core.config.HubRuntime;
import dev.tandem.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * What {@code tandem service status} says of the hub: whether {@code GET /health} answers at its URL, the version
 * it reports, and, from the running hub's record ({@code ~/.tandem/state/hub.json}), its process id and uptime.
 */
record HubStatus(boolean up, String line) {
    /** Returns {@code hub up at URL: version V, pid P, up 2h 05m} or {@code hub down at URL: …}. */
    static HubStatus of(String mcpUrl, Optional<HubRuntime> runtime, Instant now) throws InterruptedException {
        URI health = URI.create(mcpUrl).resolve("/health");
        Optional<String> version = version(health);
        if (version.isEmpty()) {
            return new HubStatus(
                    false, "hub down at " + mcpUrl + ": nothing answers " + health + " (tandem doctor says why)");
        }
        StringBuilder s = new StringBuilder("hub up at " + mcpUrl + ": version " + version.get());
        runtime.ifPresent(r -> {
            s.append(", pid ").append(r.pid());
            Optional<Instant> started = r.started().equals(Instant.EPOCH)
                    ? ProcessHandle.of(r.pid()).flatMap(h -> h.info().startInstant())
                    : Optional.of(r.started());
            started.ifPresent(t -> s.append(", up ").append(uptime(Duration.between(t, now))));
        });
        return new HubStatus(true, s.toString());
    }

    /** Formats an uptime: {@code 45s}, {@code 12m 03s}, {@code 5h 07m}, {@code 3d 04h}. */
    static String uptime(Duration d) {
        long sec = Math.max(0, d.toSeconds());
        if (sec < 60) {
            return sec + "s";
        }
        if (sec < 3600) {
            return String.format("%dm %02ds", sec / 60, sec % 60);
        }
        if (sec < 86_400) {
            return String.format("%dh %02dm", sec / 3600, sec % 3600 / 60);
        }
        return String.format("%dd %02dh", sec / 86_400, sec % 86_400 / 3600);
    }

    private static Optional<String> version(URI health) throws InterruptedException {
        try (HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()) {
            HttpResponse<String> r = client.send(
                    HttpRequest.newBuilder(health)
                            .timeout(Duration.ofSeconds(5))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return Optional.empty();
            }
            JsonNode body = Json.mapper().readTree(r.body());
            String v = body.path("version").asString("");
            return "ok".equals(body.path("status").asString("")) && !v.isEmpty() ? Optional.of(v) : Optional.empty();
        } catch (IOException | JacksonException e) {
            return Optional.empty();
        }
    }
}
