package dev.tandem.hub.mcp;

import dev.tandem.hub.auth.Credential;
import dev.tandem.hub.http.TransportContexts;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import java.util.Objects;

/**
 * Who is calling a tool, as the hub sees it.
 *
 * @param clientName {@code clientInfo.name} from {@code initialize}: a label the client chose, never trusted
 * @param clientVersion {@code clientInfo.version} from {@code initialize}
 * @param remoteAddress the caller's socket address
 * @param sessionId the MCP session
 * @param protocolVersion the negotiated protocol version
 * @param credential the credential the request came with, which decides the engine
 * @param host the machine the request comes from: the enrolled host whose key it carries, else the hub's own host
 *     ({@code [memory] host}, default this machine's name)
 */
public record Caller(
        String clientName,
        String clientVersion,
        String remoteAddress,
        String sessionId,
        String protocolVersion,
        Credential credential,
        String host) {

    public Caller {
        Objects.requireNonNull(clientName);
        Objects.requireNonNull(clientVersion);
        Objects.requireNonNull(remoteAddress);
        Objects.requireNonNull(sessionId);
        Objects.requireNonNull(protocolVersion);
        Objects.requireNonNull(credential);
        Objects.requireNonNull(host);
    }

    /** Returns the caller of the request behind {@code exchange}. */
    public static Caller of(McpSyncServerExchange exchange) {
        return of(exchange.transportContext());
    }

    /** Returns the caller described by a request's transport context. */
    public static Caller of(McpTransportContext ctx) {
        return new Caller(
                TransportContexts.get(ctx, TransportContexts.CLIENT_NAME),
                TransportContexts.get(ctx, TransportContexts.CLIENT_VERSION),
                TransportContexts.get(ctx, TransportContexts.REMOTE_ADDRESS),
                TransportContexts.get(ctx, TransportContexts.SESSION_ID),
                TransportContexts.get(ctx, TransportContexts.PROTOCOL_VERSION),
                TransportContexts.credential(ctx),
                TransportContexts.host(ctx));
    }

    /**
     * Returns the engine: {@code codex} or {@code claude} when the request came with that engine's own credential,
     * else {@code other} (the person's token). The client's name plays no part: a client calling itself
     * {@code claude-code} on Codex's credential is Codex.
     */
    public String engine() {
        return credential.engineName();
    }

    /**
     * Returns who owns what this caller creates and may later see or cancel (a task of the Tasks extension): the
     * credential the request came with ({@code person}, {@code codex} or {@code claude}), never the name the client
     * gives itself.
     */
    public String owner() {
        return credential.label();
    }
}
