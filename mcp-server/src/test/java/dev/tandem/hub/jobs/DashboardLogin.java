package dev.tandem.hub.jobs;

import dev.tandem.hub.TestHub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Logs a browser into a test hub's dashboard as {@code tandem dashboard} does, and returns its cookie. */
final class DashboardLogin implements AutoCloseable {
    private final TestHub hub;
    private final HttpClient client =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    DashboardLogin(TestHub hub) {
        this.hub = hub;
    }

    /** Returns {@code tandem_dashboard=…} for a fresh session. */
    String cookie() {
        try {
            HttpResponse<String> code = client.send(
                    HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/api/login-codes"))
                            .header("Authorization", "Bearer " + hub.token())
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            String c = code.body().replaceAll(".*\"code\":\"([^\"]+)\".*", "$1");
            HttpResponse<String> login = client.send(
                    HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/dashboard/login?code=" + c))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return login.headers().firstValue("set-cookie").orElseThrow().split(";", 2)[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
