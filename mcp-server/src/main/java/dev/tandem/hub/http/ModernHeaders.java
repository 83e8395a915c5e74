package dev.tandem.hub.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The request headers protocol 2026-07-28 requires on every POST and their check against the body: {@code
 * MCP-Protocol-Version} equals {@code _meta["io.modelcontextprotocol/protocolVersion"]}, {@code Mcp-Method}
 * equals {@code method}, and {@code Mcp-Name} equals {@code params.name} or {@code params.uri} for the methods
 * that name a tool, prompt or resource. A mismatch is a {@code HeaderMismatch} (-32020, HTTP 400).
 *
 * <p>Spec: https://modelcontextprotocol.io/specification/2026-07-28/basic/transports/streamable-http
 */
final class ModernHeaders {
    static final HeaderName MCP_METHOD = HeaderNames.create("Mcp-Method");
    static final HeaderName MCP_NAME = HeaderNames.create("Mcp-Name");
    private static final Set<String> NAMED_BY_NAME = Set.of("tools/call", "prompts/get");
    private static final Set<String> NAMED_BY_URI = Set.of("resources/read");
    /** The Tasks extension's methods name their task in {@code Mcp-Name}. */
    private static final Set<String> NAMED_BY_TASK_ID = Set.of("tasks/get", "tasks/update", "tasks/cancel");

    private static final String B64_START = "=?base64?";
    private static final String B64_END = "?=";

    private ModernHeaders() {}

    /** Returns why the headers of {@code req} do not match {@code body}, or empty when they do. */
    static Optional<String> mismatch(ServerRequest req, JsonNode body) {
        String method = text(body.get("method"));
        JsonNode params = body.get("params");
        JsonNode meta = params == null ? null : params.get("_meta");
        Optional<String> version = single(req, StreamableHttpTransport.MCP_PROTOCOL_VERSION);
        if (version.isEmpty()) {
            return Optional.of("MCP-Protocol-Version header is required (exactly once)");
        }
        JsonNode bodyVersion = meta == null ? null : meta.get(StatelessRequests.META_PROTOCOL_VERSION);
        if (bodyVersion != null
                && bodyVersion.isString()
                && !bodyVersion.asString().equals(version.get())) {
            return Optional.of("Header mismatch: MCP-Protocol-Version header value '" + version.get()
                    + "' does not match body value '" + bodyVersion.asString() + "'");
        }
        Optional<String> methodHeader = single(req, MCP_METHOD);
        if (methodHeader.isEmpty()) {
            return Optional.of("Mcp-Method header is required (exactly once)");
        }
        if (!methodHeader.get().equals(method)) {
            return Optional.of("Header mismatch: Mcp-Method header value '" + methodHeader.get()
                    + "' does not match body value '" + method + "'");
        }
        String key = NAMED_BY_NAME.contains(method)
                ? "name"
                : NAMED_BY_URI.contains(method) ? "uri" : NAMED_BY_TASK_ID.contains(method) ? "taskId" : null;
        if (key == null) {
            return Optional.empty();
        }
        String named = params == null ? null : text(params.get(key));
        Optional<String> nameHeader = single(req, MCP_NAME);
        if (nameHeader.isEmpty()) {
            return Optional.of("Mcp-Name header is required for " + method + " (exactly once)");
        }
        Optional<String> decoded = decode(nameHeader.get());
        if (decoded.isEmpty()) {
            return Optional.of("Header mismatch: Mcp-Name header value is not valid =?base64?…?= encoding");
        }
        if (!decoded.get().equals(named)) {
            return Optional.of("Header mismatch: Mcp-Name header value '" + nameHeader.get()
                    + "' does not match body value '" + named + "'");
        }
        return Optional.empty();
    }

    /**
     * Decodes a header value: {@code =?base64?…?=} is Base64 of UTF-8, anything else is taken as it is; empty
     * when the Base64 is malformed.
     */
    static Optional<String> decode(String value) {
        if (!value.startsWith(B64_START) || !value.endsWith(B64_END) || value.length() < B64_START.length() + 2) {
            return Optional.of(value);
        }
        String encoded = value.substring(B64_START.length(), value.length() - B64_END.length());
        try {
            return Optional.of(new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> single(ServerRequest req, HeaderName name) {
        List<String> values = req.headers().all(name, List::of);
        return values.size() == 1 ? Optional.of(values.get(0).strip()) : Optional.empty();
    }

    private static String text(JsonNode node) {
        return node != null && node.isString() ? node.asString() : null;
    }
}
