package dev.tandem.hub.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One MCP session over Streamable HTTP, spoken with the JDK's {@link HttpClient} alone so that the same bytes go to
 * every server under test: {@code initialize}, {@code notifications/initialized}, then {@code tools/call}s.
 *
 * <p>Replies may come as plain JSON or as an SSE stream that ends after the response (the TypeScript SDK's default);
 * both are read whole. See https://modelcontextprotocol.io/specification/2025-06-18/basic/transports
 */
final class McpSession {
    static final String PROTOCOL_VERSION = "2025-06-18";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final URI uri;
    private final Optional<String> token;
    private final String sessionId;
    private final AtomicLong ids = new AtomicLong(1);

    private McpSession(HttpClient http, URI uri, Optional<String> token, String sessionId) {
        this.http = http;
        this.uri = uri;
        this.token = token;
        this.sessionId = sessionId;
    }

    /** Opens a session: {@code initialize} then {@code notifications/initialized}. */
    static McpSession open(HttpClient http, URI uri, Optional<String> token) throws IOException, InterruptedException {
        HttpResponse<String> init = http.send(
                request(uri, token, Optional.empty(), initializeBody()).build(), HttpResponse.BodyHandlers.ofString());
        String sessionId = init.headers()
                .firstValue("Mcp-Session-Id")
                .orElseThrow(() -> new BenchException(uri + ": initialize answered without Mcp-Session-Id, status "
                        + init.statusCode() + ": " + abbreviate(init.body())));
        response(init);
        McpSession session = new McpSession(http, uri, token, sessionId);
        session.notifyInitialized();
        return session;
    }

    /** Sends one {@code initialize} and returns the response message; throws unless it is a success. */
    static String initializeOnce(HttpClient http, URI uri, Optional<String> token)
            throws IOException, InterruptedException {
        return response(http.send(
                request(uri, token, Optional.empty(), initializeBody()).build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** Calls a tool and returns the JSON-RPC response; throws on any error, including a tool result with isError. */
    String callTool(String tool, String argumentsJson) throws IOException, InterruptedException {
        long id = ids.incrementAndGet();
        String body = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
                + "\",\"arguments\":" + argumentsJson + "}}";
        String reply = response(http.send(post(body), HttpResponse.BodyHandlers.ofString()));
        if (reply.contains("\"isError\":true")) {
            throw new BenchException(uri + ": " + tool + " returned an error result: " + abbreviate(reply));
        }
        return reply;
    }

    /** Ends the session with DELETE; a server that does not support it may refuse, which is fine. */
    void close() throws IOException, InterruptedException {
        http.send(builder(uri, token, Optional.of(sessionId)).DELETE().build(), HttpResponse.BodyHandlers.discarding());
    }

    private void notifyInitialized() throws IOException, InterruptedException {
        HttpResponse<String> res = http.send(
                post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"),
                HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 202 && res.statusCode() != 200) {
            throw new BenchException(
                    uri + ": notifications/initialized answered " + res.statusCode() + ": " + abbreviate(res.body()));
        }
    }

    private HttpRequest post(String body) {
        return request(uri, token, Optional.of(sessionId), body).build();
    }

    private static String initializeBody() {
        return "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\""
                + PROTOCOL_VERSION
                + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"tandem-bench\",\"version\":\"1\"}}}";
    }

    private static HttpRequest.Builder request(URI uri, Optional<String> token, Optional<String> session, String body) {
        return builder(uri, token, session)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }

    private static HttpRequest.Builder builder(URI uri, Optional<String> token, Optional<String> session) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(TIMEOUT);
        token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
        session.ifPresent(s -> b.header("Mcp-Session-Id", s).header("MCP-Protocol-Version", PROTOCOL_VERSION));
        return b;
    }

    /** Returns the JSON-RPC response carried by a reply, plain or SSE; throws unless it is a success. */
    private static String response(HttpResponse<String> res) {
        String type = res.headers().firstValue("Content-Type").orElse("");
        String message = type.startsWith("text/event-stream") ? lastSseResponse(res.body()) : res.body();
        if (res.statusCode() != 200 || !message.contains("\"result\"")) {
            throw new BenchException(
                    res.uri() + ": status " + res.statusCode() + ", no result: " + abbreviate(res.body()));
        }
        return message;
    }

    /** Returns the data of the last SSE event that holds a result or an error (the response ends the stream). */
    private static String lastSseResponse(String stream) {
        String found = "";
        StringBuilder data = new StringBuilder();
        for (String line : (stream + "\n\n").lines().toList()) {
            if (line.isEmpty()) {
                String event = data.toString();
                if (event.contains("\"result\"") || event.contains("\"error\"")) {
                    found = event;
                }
                data.setLength(0);
            } else if (line.startsWith("data:")) {
                data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
            }
        }
        return found;
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
