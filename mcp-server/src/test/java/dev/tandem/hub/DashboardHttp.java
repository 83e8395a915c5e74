package dev.tandem.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The JDK's HTTP client against a test hub's dashboard and API; never follows redirects. */
final class DashboardHttp implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient client =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final TestHub hub;

    DashboardHttp(TestHub hub) {
        this.hub = hub;
    }

    HttpResponse<String> send(String method, String path, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(b::header);
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(String path, Map<String, String> headers) {
        return send("GET", path, headers);
    }

    /** GETs {@code path} with the hub's bearer token. */
    HttpResponse<String> getWithToken(String path) {
        return get(path, Map.of("Authorization", "Bearer " + hub.token()));
    }

    /** Returns a fresh one-time login code, as {@code tandem dashboard} gets it. */
    String loginCode() {
        HttpResponse<String> r = send("POST", "/api/login-codes", Map.of("Authorization", "Bearer " + hub.token()));
        if (r.statusCode() != 200) {
            throw new AssertionError("login-codes answered " + r.statusCode() + ": " + r.body());
        }
        return json(r).path("code").asString();
    }

    /** Logs in with a new code and returns the cookie pair {@code tandem_dashboard=…}. */
    String login() {
        HttpResponse<String> r = get("/dashboard/login?code=" + loginCode(), Map.of());
        if (r.statusCode() != 303) {
            throw new AssertionError("login answered " + r.statusCode() + ": " + r.body());
        }
        return r.headers().firstValue("set-cookie").orElseThrow().split(";", 2)[0];
    }

    static JsonNode json(HttpResponse<String> r) {
        return parse(r.body());
    }

    static JsonNode parse(String text) {
        return JSON.readTree(text);
    }

    @Override
    public void close() {
        client.close();
    }
}
