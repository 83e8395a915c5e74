package dev.tandem.hub.cli;

import dev.tandem.core.config.ConfigException;
import dev.tandem.core.json.Json;
import dev.tandem.hub.auth.TokenProof;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The client half of the dashboard login ({@code LoginApi} is the hub's): makes sure the program on the port is
 * the hub that holds our token before asking it for a login code, and never sends the token itself.
 *
 * <ol>
 *   <li>send a fresh nonce to {@code /api/hub-proof}; the answer must carry the hub's proof for that nonce, its
 *       own nonce and the address we connected to, checked in constant time. A squatter cannot make it; a relay to
 *       the hub on another port gets a proof for that other address. Anything else ends here, with nothing sent
 *       but the random nonce.
 *   <li>send our own proof for the hub's nonce to {@code /api/login-codes}, which answers a one-time code.
 * </ol>
 */
final class HubLogin {
    private static final JsonMapper JSON = Json.mapper();

    private final String base;
    private final String endpoint;
    private final TokenProof proofs;
    private final String tokenFile;
    private final String whereFrom;

    /**
     * Prepares a login at {@code host:port}.
     *
     * @param tokenFile and {@code whereFrom} (the configuration that named the port) appear in error messages
     */
    HubLogin(String host, int port, String token, String tokenFile, String whereFrom) {
        InetAddress address = resolve(host);
        String literal =
                address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        this.base = "http://" + literal + ":" + port;
        this.endpoint = TokenProof.endpoint(address, port);
        this.proofs = new TokenProof(token);
        this.tokenFile = tokenFile;
        this.whereFrom = whereFrom;
    }

    /** Returns {@code http://ADDRESS:PORT}, the hub as the login URL must name it. */
    String base() {
        return base;
    }

    /** Checks that the program on the port is the hub holding our token; sends nothing but a random nonce. */
    void proveHub() throws InterruptedException {
        try (HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            String clientNonce = TokenProof.nonce();
            challenge(client, clientNonce);
        }
    }

    /** Returns the login path with a fresh one-time code, once the hub proved itself. */
    String loginPath() throws InterruptedException {
        try (HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            String clientNonce = TokenProof.nonce();
            String hubNonce = challenge(client, clientNonce);
            String body = JSON.writeValueAsString(Map.of(
                    "clientNonce",
                    clientNonce,
                    "hubNonce",
                    hubNonce,
                    "proof",
                    proofs.client(endpoint, clientNonce, hubNonce)));
            HttpResponse<String> r = post(client, "/api/login-codes", body);
            if (r.statusCode() != 200) {
                throw new ConfigException("the hub on " + base + " gave no login code (HTTP " + r.statusCode() + ": "
                        + oneLine(r.body()) + ")");
            }
            JsonNode path = json(r).path("path");
            if (!path.isString() || !path.asString().startsWith("/dashboard/login?code=")) {
                throw new ConfigException("the hub on " + base + " sent no login code");
            }
            return path.asString();
        }
    }

    private String challenge(HttpClient client, String clientNonce) throws InterruptedException {
        JsonNode challenge = hubProof(client, clientNonce);
        String hubNonce = challenge.path("hubNonce").asString("");
        String proof = challenge.path("proof").asString("");
        if (hubNonce.isEmpty() || !TokenProof.same(proofs.hub(endpoint, clientNonce, hubNonce), proof)) {
            throw notTheHub("its answer does not prove it holds that token");
        }
        return hubNonce;
    }

    private JsonNode hubProof(HttpClient client, String clientNonce) throws InterruptedException {
        HttpResponse<String> r =
                post(client, "/api/hub-proof", JSON.writeValueAsString(Map.of("clientNonce", clientNonce)));
        if (r.statusCode() == 404) {
            throw notTheHub("it has no /api/hub-proof (HTTP 404): another program, a hub with [dashboard] "
                    + "enabled = false, or an older Tandem");
        }
        if (r.statusCode() != 200) {
            throw notTheHub("it answered the hub check with HTTP " + r.statusCode());
        }
        return json(r);
    }

    private ConfigException notTheHub(String why) {
        return new ConfigException("the program on " + endpoint + " is not the hub that holds the token of "
                + tokenFile + ": " + why + ". Nothing was sent to it but a random challenge. Is another program on "
                + "that port, or a hub with another token? pass --port, --token-file or --config of the running hub");
    }

    private HttpResponse<String> post(HttpClient client, String path, String body) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigException("no hub answers on " + base + " (port from " + whereFrom
                    + "): start it with 'tandem serve', or pass --port/--config of the running hub");
        }
    }

    private JsonNode json(HttpResponse<String> r) {
        try {
            JsonNode node = JSON.readTree(r.body());
            if (node == null || !node.isObject()) {
                throw notTheHub("its answer is not a JSON object");
            }
            return node;
        } catch (JacksonException e) {
            throw notTheHub("its answer is not JSON");
        }
    }

    private static String oneLine(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    /** Resolves the hub's host; the wildcard addresses a hub may bind are reached through loopback. */
    private static InetAddress resolve(String host) {
        String target = host.equals("0.0.0.0") ? "127.0.0.1" : host.equals("::") ? "::1" : host;
        try {
            return InetAddress.getByName(target);
        } catch (java.net.UnknownHostException e) {
            throw new ConfigException("--host " + host + ": unknown host", e);
        }
    }
}
