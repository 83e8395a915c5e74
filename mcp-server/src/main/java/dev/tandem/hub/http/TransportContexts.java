package dev.tandem.hub.http;

import dev.tandem.hub.auth.Credential;
import io.helidon.webserver.http.ServerRequest;
import io.modelcontextprotocol.common.McpTransportContext;
import java.util.HashMap;
import java.util.Map;

/** Keys of the {@link McpTransportContext} the transport hands every handler. */
public final class TransportContexts {
    /** The caller's socket address, {@code host:port}. */
    public static final String REMOTE_ADDRESS = "tandem.remoteAddress";
    /** The {@code clientInfo.name} sent in {@code initialize}. */
    public static final String CLIENT_NAME = "tandem.clientName";
    /** The {@code clientInfo.version} sent in {@code initialize}. */
    public static final String CLIENT_VERSION = "tandem.clientVersion";
    /** The negotiated protocol version. */
    public static final String PROTOCOL_VERSION = "tandem.protocolVersion";
    /** The MCP session id. */
    public static final String SESSION_ID = "tandem.sessionId";
    /** The {@link Credential} that let the request (or the session's {@code initialize}) in. */
    public static final String CREDENTIAL = "tandem.credential";
    /** The host the request comes from: the enrolled host of its credential, else the hub's own. */
    public static final String HOST = "tandem.host";

    private TransportContexts() {}

    static McpTransportContext of(String remote, HubSession session, String localHost) {
        Map<String, Object> values = new HashMap<>();
        values.put(REMOTE_ADDRESS, remote);
        values.put(HOST, localHost);
        if (session != null) {
            values.put(HOST, session.credential.host().orElse(localHost));
            values.put(CLIENT_NAME, session.clientName);
            values.put(CLIENT_VERSION, session.clientVersion);
            values.put(PROTOCOL_VERSION, session.protocolVersion);
            values.put(SESSION_ID, session.id());
            values.put(CREDENTIAL, session.credential);
        }
        return McpTransportContext.create(values);
    }

    /** The context of a request of protocol 2026-07-28, which has no session. */
    static McpTransportContext stateless(
            String remote,
            Credential credential,
            String localHost,
            String clientName,
            String clientVersion,
            String version) {
        Map<String, Object> values = new HashMap<>();
        values.put(CREDENTIAL, credential);
        values.put(HOST, credential.host().orElse(localHost));
        values.put(REMOTE_ADDRESS, remote);
        values.put(CLIENT_NAME, clientName);
        values.put(CLIENT_VERSION, clientVersion);
        values.put(PROTOCOL_VERSION, version);
        values.put(SESSION_ID, "");
        return McpTransportContext.create(values);
    }

    /** Returns the credential the HTTP edge found on {@code req}; the person's when none was registered. */
    static Credential credential(ServerRequest req) {
        return req.context().get(Credential.class).orElse(Credential.PERSON);
    }

    /** Returns the credential of the request behind {@code context}; the person's when it carries none. */
    public static Credential credential(McpTransportContext context) {
        Object value = context == null ? null : context.get(CREDENTIAL);
        return value instanceof Credential c ? c : Credential.PERSON;
    }

    /** Returns the host of the request behind {@code context}; {@code ""} when it carries none. */
    public static String host(McpTransportContext context) {
        return get(context, HOST);
    }

    /** Returns the value of {@code key} as a string, or {@code ""} when absent. */
    public static String get(McpTransportContext context, String key) {
        Object value = context == null ? null : context.get(key);
        return value == null ? "" : value.toString();
    }
}
