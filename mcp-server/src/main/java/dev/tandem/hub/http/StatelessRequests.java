package dev.tandem.hub.http;

import dev.tandem.core.json.Json;
import dev.tandem.hub.auth.Credential;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Requests of MCP protocol 2026-07-28 on {@code /mcp}: no {@code initialize}, no session; every request carries
 * its protocol version and client capabilities in {@code _meta} and is served on its own.
 *
 * <p>The hub's handlers are the ones of the sessionful revisions: each request runs in a throw-away SDK session
 * made for it alone, and its answer is reshaped for the revision ({@code resultType} on every result, {@code
 * ttlMs}/{@code cacheScope} on list and read results, the server's identity in {@code _meta}, resource-not-found
 * as -32602). So the same tool call gives the same result on both revisions.
 *
 * <p>Spec: https://modelcontextprotocol.io/specification/2026-07-28/basic
 */
final class StatelessRequests {
    /** The revision served here. */
    static final String VERSION = "2026-07-28";
    /** The revisions a request of this era may name, answered in {@code server/discover}. */
    static final List<String> SUPPORTED = List.of(VERSION);

    static final String META_PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";
    static final String META_CLIENT_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
    static final String META_CLIENT_INFO = "io.modelcontextprotocol/clientInfo";
    static final String META_SERVER_INFO = "io.modelcontextprotocol/serverInfo";
    static final String META_LOG_LEVEL = "io.modelcontextprotocol/logLevel";

    static final int HEADER_MISMATCH = -32020;
    static final int UNSUPPORTED_PROTOCOL_VERSION = -32022;
    static final String SERVER_DISCOVER = "server/discover";

    /** How long a client may reuse a cacheable result, by method; every one is {@code private} to the token. */
    static final Map<String, Long> TTL_MILLIS = Map.of(
            SERVER_DISCOVER,
            300_000L,
            McpSchema.METHOD_TOOLS_LIST,
            300_000L,
            McpSchema.METHOD_PROMPT_LIST,
            0L,
            McpSchema.METHOD_RESOURCES_LIST,
            0L,
            McpSchema.METHOD_RESOURCES_TEMPLATES_LIST,
            0L,
            McpSchema.METHOD_RESOURCES_READ,
            0L,
            "skills/list",
            0L,
            "skills/get",
            0L);

    static final String CACHE_SCOPE = "private";

    /** The methods of the revision answered by the hub's (sessionful) handlers. */
    private static final Set<String> BRIDGED = Set.of(
            McpSchema.METHOD_TOOLS_LIST,
            McpSchema.METHOD_TOOLS_CALL,
            McpSchema.METHOD_RESOURCES_LIST,
            McpSchema.METHOD_RESOURCES_TEMPLATES_LIST,
            McpSchema.METHOD_RESOURCES_READ,
            McpSchema.METHOD_PROMPT_LIST,
            McpSchema.METHOD_PROMPT_GET,
            McpSchema.METHOD_COMPLETION_COMPLETE);

    /** The revisions an {@code MCP-Protocol-Version} header names when a sessionful client sends it. */
    private static final Set<String> SESSION_VERSIONS = Set.of("2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25");

    private static final Set<String> LOG_LEVELS =
            Set.of("debug", "info", "notice", "warning", "error", "critical", "alert", "emergency");

    /** The revision of the sessionful handlers a stateless request runs in. */
    private static final String BRIDGE_VERSION = "2025-11-25";

    private static final Logger LOG = Logger.getLogger(StatelessRequests.class.getName());
    private static final JsonMapper TREE = Json.mapper();

    private final McpJsonMapper json;
    private final RequestTelemetry telemetry;
    private final ToolVisibility tools;
    private final Supplier<McpStreamableServerSession.Factory> factory;
    private final Subscriptions subscriptions;
    private volatile McpSchema.InitializeResult server;
    private final List<ProtocolExtension> extensions = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Tool calls whose stream is watched: a client that closes it cancels the call. */
    private final Set<WatchedCall> watched = ConcurrentHashMap.newKeySet();

    private final Duration keepAlive;
    private final Supplier<String> localHost;

    /**
     * Creates the handler of the revision.
     *
     * @param keepAlive how often a running tool call's stream is checked for a client that went away
     * @param localHost the host requests on the local credentials come from
     */
    StatelessRequests(
            McpJsonMapper json,
            RequestTelemetry telemetry,
            Supplier<McpStreamableServerSession.Factory> factory,
            ToolVisibility tools,
            Duration keepAlive,
            Supplier<String> localHost) {
        this.tools = tools;
        this.localHost = localHost;
        this.json = json;
        this.keepAlive = keepAlive;
        this.subscriptions = new Subscriptions(json);
        this.telemetry = telemetry;
        this.factory = factory;
    }

    /**
     * Returns whether a POSTed JSON-RPC object belongs to protocol 2026-07-28: it carries a modern {@code _meta}
     * protocol version, is {@code server/discover}, or names a revision in {@code MCP-Protocol-Version} that no
     * session speaks while carrying no {@code Mcp-Session-Id}. Everything else (also {@code initialize} without
     * modern {@code _meta}) is served by sessions as before.
     */
    static boolean isStateless(ServerRequest req, JsonNode message) {
        JsonNode params = message.get("params");
        JsonNode meta = params == null ? null : params.get("_meta");
        if (meta != null && meta.has(META_PROTOCOL_VERSION)) {
            return true;
        }
        JsonNode method = message.get("method");
        if (method != null && method.isString() && SERVER_DISCOVER.equals(method.asString())) {
            return true;
        }
        Optional<String> header = req.headers().first(StreamableHttpTransport.MCP_PROTOCOL_VERSION);
        return header.isPresent()
                && !SESSION_VERSIONS.contains(header.get().strip())
                && !req.headers().contains(StreamableHttpTransport.MCP_SESSION_ID);
    }

    /** Answers one POSTed JSON-RPC object of protocol 2026-07-28. */
    void serve(ServerRequest req, ServerResponse res, JsonNode message, Accept accept, String remote) {
        JsonNode idNode = message.get("id");
        JsonNode methodNode = message.get("method");
        if (idNode == null && methodNode != null && methodNode.isString()) {
            res.status(Status.ACCEPTED_202).send(); // a notification: the revision defines none over HTTP
            return;
        }
        Object id = StreamableHttpTransport.idOf(message);
        if (id == null || methodNode == null || !methodNode.isString()) {
            HttpReplies.rpcError(
                    res,
                    Status.BAD_REQUEST_400,
                    id,
                    McpSchema.ErrorCodes.INVALID_REQUEST,
                    "Invalid Request: a request needs a string or integer id and a method");
            return;
        }
        String method = methodNode.asString();
        Optional<String> mismatch = ModernHeaders.mismatch(req, message);
        if (mismatch.isPresent()) {
            HttpReplies.rpcError(res, Status.BAD_REQUEST_400, id, HEADER_MISMATCH, mismatch.get());
            return;
        }
        JsonNode params = message.get("params");
        JsonNode meta = params == null || !params.isObject() ? null : params.get("_meta");
        JsonNode version = meta == null || !meta.isObject() ? null : meta.get(META_PROTOCOL_VERSION);
        JsonNode capabilities = meta == null || !meta.isObject() ? null : meta.get(META_CLIENT_CAPABILITIES);
        if (version == null || !version.isString() || capabilities == null || !capabilities.isObject()) {
            HttpReplies.rpcError(
                    res,
                    Status.BAD_REQUEST_400,
                    id,
                    McpSchema.ErrorCodes.INVALID_PARAMS,
                    "Invalid params: _meta must carry " + META_PROTOCOL_VERSION + " (a string) and "
                            + META_CLIENT_CAPABILITIES + " (an object)");
            return;
        }
        if (!SUPPORTED.contains(version.asString())) {
            ObjectNode data = TREE.createObjectNode();
            SUPPORTED.forEach(data.putArray("supported")::add);
            data.put("requested", version.asString());
            HttpReplies.rpcError(
                    res,
                    Status.BAD_REQUEST_400,
                    id,
                    UNSUPPORTED_PROTOCOL_VERSION,
                    "Unsupported protocol version " + version.asString() + "; supported: "
                            + String.join(", ", SUPPORTED),
                    data);
            return;
        }
        JsonNode level = meta.get(META_LOG_LEVEL);
        if (level != null && (!level.isString() || !LOG_LEVELS.contains(level.asString()))) {
            HttpReplies.rpcError(
                    res,
                    Status.BAD_REQUEST_400,
                    id,
                    McpSchema.ErrorCodes.INVALID_PARAMS,
                    "Invalid params: " + META_LOG_LEVEL + " must be one of " + String.join(", ", LOG_LEVELS));
            return;
        }
        McpStreamableServerSession.Factory sessions = factory.get();
        if (sessions == null) {
            HttpReplies.rpcError(
                    res, Status.SERVICE_UNAVAILABLE_503, id, McpSchema.ErrorCodes.INTERNAL_ERROR, "Hub is starting");
            return;
        }
        Client client = Client.of(meta.get(META_CLIENT_INFO));
        if (SERVER_DISCOVER.equals(method)) {
            discover(res, id, sessions);
            return;
        }
        if (Subscriptions.METHOD.equals(method)) {
            subscriptions.listen(res, id, params);
            return;
        }
        Credential credential = TransportContexts.credential(req);
        McpTransportContext caller = TransportContexts.stateless(
                remote, credential, localHost.get(), client.name(), client.version(), VERSION);
        Optional<ProtocolExtension> extension = extensionFor(method, params);
        if (extension.isPresent()) {
            answerExtension(res, id, method, params, credential, client, caller, extension.get(), sessions);
            return;
        }
        // a tool the credential's profile hides is refused in the bridge below, also when a task would take it
        Optional<ProtocolExtension> taker = takerOf(method, params, capabilities);
        if (taker.isPresent() && tools.refusal(credential, method, params, id).isEmpty()) {
            takeToolCall(res, id, params, credential, client, caller, taker.get(), sessions);
            return;
        }
        if (!BRIDGED.contains(method)) {
            HttpReplies.rpcError(
                    res,
                    Status.NOT_FOUND_404,
                    id,
                    McpSchema.ErrorCodes.METHOD_NOT_FOUND,
                    "Method not found: " + method + " (protocol " + VERSION + ")");
            return;
        }
        bridge(res, id, method, params, accept, remote, credential, client, sessions);
    }

    /** Adds an extension answered on this revision and declared in {@code server/discover}. */
    void extension(ProtocolExtension extension) {
        extensions.add(extension);
    }

    private Optional<ProtocolExtension> extensionFor(String method, JsonNode params) {
        JsonNode uri = params == null || !params.isObject() ? null : params.get("uri");
        for (ProtocolExtension e : extensions) {
            if (e.methods().contains(method)) {
                return Optional.of(e);
            }
            if (McpSchema.METHOD_RESOURCES_READ.equals(method)
                    && uri != null
                    && uri.isString()
                    && e.reads(uri.asString())) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /**
     * Returns the extension that takes over a {@code tools/call} of this request: one the request declares in
     * {@code clientCapabilities.extensions} and that takes the named tool.
     */
    private Optional<ProtocolExtension> takerOf(String method, JsonNode params, JsonNode capabilities) {
        if (!McpSchema.METHOD_TOOLS_CALL.equals(method) || params == null || !params.isObject()) {
            return Optional.empty();
        }
        JsonNode tool = params.get("name");
        JsonNode declared = capabilities.get("extensions");
        if (tool == null || !tool.isString() || declared == null || !declared.isObject()) {
            return Optional.empty();
        }
        return extensions.stream()
                .filter(e ->
                        declared.get(e.id()) != null && declared.get(e.id()).isObject())
                .filter(e -> e.takesToolCall(tool.asString()))
                .findFirst();
    }

    /** Answers a method of an extension, shaped like every result of the revision. */
    private void answerExtension(
            ServerResponse res,
            Object id,
            String method,
            JsonNode params,
            Credential credential,
            Client client,
            McpTransportContext caller,
            ProtocolExtension extension,
            McpStreamableServerSession.Factory sessions) {
        RequestTelemetry.Start start = telemetry.start();
        McpSchema.JSONRPCResponse response;
        try {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("resultType", "complete");
            result.putAll(extension.answer(method, params, caller));
            Long ttl = TTL_MILLIS.get(method);
            if (ttl != null) {
                result.put("ttlMs", ttl);
                result.put("cacheScope", CACHE_SCOPE);
            }
            result.put("_meta", Map.of(META_SERVER_INFO, serverInfo(server(sessions))));
            response = McpSchema.JSONRPCResponse.result(id, result);
        } catch (ProtocolExtension.Refusal e) {
            response = McpSchema.JSONRPCResponse.error(
                    id, new McpSchema.JSONRPCResponse.JSONRPCError(e.code(), e.getMessage(), e.data()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, method + " failed", e);
            response = McpSchema.JSONRPCResponse.error(
                    id,
                    new McpSchema.JSONRPCResponse.JSONRPCError(
                            McpSchema.ErrorCodes.INTERNAL_ERROR, "Internal error", null));
        }
        telemetry.record(credential, client.name(), client.version(), "", method, params, start, Optional.of(response));
        HttpReplies.json(res, status(response), serialize(response));
    }

    /** The open {@code subscriptions/listen} streams. */
    Subscriptions subscriptions() {
        return subscriptions;
    }

    /** The caller as it introduces itself in {@code _meta} (a label, never a credential). */
    private record Client(String name, String version) {
        static Client of(JsonNode info) {
            if (info == null || !info.isObject()) {
                return new Client("", "");
            }
            JsonNode name = info.get("name");
            JsonNode version = info.get("version");
            return new Client(
                    name != null && name.isString() ? name.asString() : "",
                    version != null && version.isString() ? version.asString() : "");
        }
    }

    private void discover(ServerResponse res, Object id, McpStreamableServerSession.Factory sessions) {
        McpSchema.InitializeResult init;
        try {
            init = server(sessions);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "server/discover failed", e);
            HttpReplies.rpcError(
                    res, Status.INTERNAL_SERVER_ERROR_500, id, McpSchema.ErrorCodes.INTERNAL_ERROR, "Internal error");
            return;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("resultType", "complete");
        result.put("supportedVersions", SUPPORTED);
        result.put("capabilities", capabilities(init.capabilities()));
        if (init.instructions() != null) {
            result.put("instructions", init.instructions());
        }
        result.put("ttlMs", TTL_MILLIS.get(SERVER_DISCOVER));
        result.put("cacheScope", CACHE_SCOPE);
        result.put("_meta", Map.of(META_SERVER_INFO, serverInfo(init)));
        String body = serialize(McpSchema.JSONRPCResponse.result(id, result));
        HttpReplies.json(res, Status.OK_200, body);
    }

    /**
     * The capabilities of the revision: those of the hub's handlers, with {@code listChanged} (delivered on
     * {@code subscriptions/listen}) and without resource subscriptions (not offered on this revision).
     */
    private Map<String, Object> capabilities(McpSchema.ServerCapabilities caps) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (caps.tools() != null) {
            out.put("tools", Map.of("listChanged", true));
        }
        if (caps.prompts() != null) {
            out.put("prompts", Map.of("listChanged", true));
        }
        if (caps.resources() != null) {
            out.put("resources", Map.of("listChanged", true));
        }
        if (caps.completions() != null) {
            out.put("completions", Map.of());
        }
        if (!extensions.isEmpty()) {
            Map<String, Object> declared = new java.util.TreeMap<>();
            extensions.forEach(e -> declared.put(e.id(), e.settings()));
            out.put("extensions", declared);
        }
        return out;
    }

    private McpSchema.InitializeResult server(McpStreamableServerSession.Factory sessions) {
        McpSchema.InitializeResult known = server;
        if (known == null) {
            McpSchema.InitializeResult fresh = sessions.startSession(initialize("tandem-discover", ""))
                    .initResult()
                    .block(Duration.ofSeconds(10));
            server = fresh;
            known = fresh;
        }
        return known;
    }

    /** The {@code initialize} a throw-away session starts with: no client capabilities, the client's label. */
    private static McpSchema.InitializeRequest initialize(String name, String version) {
        return McpSchema.InitializeRequest.builder(
                        BRIDGE_VERSION,
                        McpSchema.ClientCapabilities.builder().build(),
                        McpSchema.Implementation.builder(
                                        name.isBlank() ? "unnamed" : name, version.isBlank() ? "0" : version)
                                .build())
                .build();
    }

    private static Map<String, Object> serverInfo(McpSchema.InitializeResult init) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", init.serverInfo().name());
        info.put("version", init.serverInfo().version());
        return info;
    }

    private void bridge(
            ServerResponse res,
            Object id,
            String method,
            JsonNode params,
            Accept accept,
            String remote,
            Credential credential,
            Client client,
            McpStreamableServerSession.Factory sessions) {
        RequestTelemetry.Start start = telemetry.start();
        Optional<String> problem = ParamShapes.problem(method, params);
        if (problem.isPresent()) {
            HttpReplies.rpcError(res, Status.BAD_REQUEST_400, id, McpSchema.ErrorCodes.INVALID_PARAMS, problem.get());
            return;
        }
        Optional<McpSchema.JSONRPCResponse> hidden = tools.refusal(credential, method, params, id);
        if (hidden.isPresent()) {
            telemetry.record(credential, client.name(), client.version(), "", method, params, start, hidden);
            HttpReplies.json(res, status(hidden.get()), serialize(hidden.get()));
            return;
        }
        McpSchema.InitializeResult init;
        McpStreamableServerSession session;
        try {
            init = server(sessions);
            session = sessions.startSession(initialize(client.name(), client.version()))
                    .session();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot start a session for a stateless request", e);
            HttpReplies.rpcError(
                    res, Status.INTERNAL_SERVER_ERROR_500, id, McpSchema.ErrorCodes.INTERNAL_ERROR, "Internal error");
            return;
        }
        McpTransportContext ctx = TransportContexts.stateless(
                remote, credential, localHost.get(), client.name(), client.version(), VERSION);
        PostReply out = new PostReply(
                res,
                id,
                accept,
                json,
                r -> telemetry.record(
                        credential, client.name(), client.version(), "", method, params, start, Optional.of(r)),
                StatelessRequests::status);
        StatelessReply reply =
                new StatelessReply(out, id, r -> shape(method, params, tools.filter(credential, r), init));
        // closing the stream of a tool call is its cancellation: the stream is checked while the call runs
        WatchedCall watch = McpSchema.METHOD_TOOLS_CALL.equals(method) && accept.eventStream()
                ? new WatchedCall(Thread.currentThread(), out, System.nanoTime())
                : null;
        if (watch != null) {
            watched.add(watch);
        }
        try {
            handle(session, id, method, params, ctx, reply);
        } finally {
            if (watch != null) {
                watched.remove(watch);
                if (watch.end()) {
                    Thread.interrupted(); // the cancellation is over; the request thread goes back clean
                    LOG.log(Level.FINE, () -> method + " " + id + " cancelled: the client closed its stream");
                }
            }
        }
        reply.finish();
        session.close();
    }

    /** Runs one request through a throw-away session's handlers; an unanswered request gets an internal error. */
    private void handle(
            McpStreamableServerSession session,
            Object id,
            String method,
            JsonNode params,
            McpTransportContext ctx,
            ReplyTransport reply) {
        McpSchema.JSONRPCRequest request = new McpSchema.JSONRPCRequest(
                McpSchema.JSONRPC_VERSION, method, id, json.convertValue(params, new TypeRef<Object>() {}));
        try {
            session.responseStream(reply)
                    .handle(request)
                    .contextWrite(c -> c.put(McpTransportContext.KEY, ctx))
                    .block();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "request failed", e);
        }
        if (reply.response().isEmpty()) {
            reply.answerIfUnanswered(McpSchema.JSONRPCResponse.error(
                    id,
                    new McpSchema.JSONRPCResponse.JSONRPCError(
                            McpSchema.ErrorCodes.INTERNAL_ERROR, "Internal error", null)));
        }
    }

    /**
     * Hands a {@code tools/call} to the extension that takes it over (a task): the call runs later, with nobody
     * waiting on this response, and the extension's answer goes out now.
     */
    private void takeToolCall(
            ServerResponse res,
            Object id,
            JsonNode params,
            Credential credential,
            Client client,
            McpTransportContext caller,
            ProtocolExtension extension,
            McpStreamableServerSession.Factory sessions) {
        String method = McpSchema.METHOD_TOOLS_CALL;
        RequestTelemetry.Start start = telemetry.start();
        Optional<String> problem = ParamShapes.problem(method, params);
        if (problem.isPresent()) {
            HttpReplies.rpcError(res, Status.BAD_REQUEST_400, id, McpSchema.ErrorCodes.INVALID_PARAMS, problem.get());
            return;
        }
        ProtocolExtension.ToolCall call = () -> {
            McpStreamableServerSession session = sessions.startSession(initialize(client.name(), client.version()))
                    .session();
            try {
                DetachedReply reply = new DetachedReply(id, json);
                handle(session, id, method, params, caller, reply);
                McpSchema.JSONRPCResponse r = reply.response().orElseThrow();
                telemetry.record(
                        credential, client.name(), client.version(), "", method, params, start, Optional.of(r));
                return r;
            } finally {
                session.close();
            }
        };
        McpSchema.JSONRPCResponse response;
        try {
            McpSchema.InitializeResult init = server(sessions);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("resultType", "complete");
            result.putAll(extension.takeToolCall(params.get("name").asString(), caller, call));
            result.put("_meta", Map.of(META_SERVER_INFO, serverInfo(init)));
            response = McpSchema.JSONRPCResponse.result(id, result);
        } catch (ProtocolExtension.Refusal e) {
            response = McpSchema.JSONRPCResponse.error(
                    id, new McpSchema.JSONRPCResponse.JSONRPCError(e.code(), e.getMessage(), e.data()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "tools/call could not be taken over by " + extension.id(), e);
            response = McpSchema.JSONRPCResponse.error(
                    id,
                    new McpSchema.JSONRPCResponse.JSONRPCError(
                            McpSchema.ErrorCodes.INTERNAL_ERROR, "Internal error", null));
        }
        HttpReplies.json(res, status(response), serialize(response));
    }

    /**
     * Checks the stream of every tool call that has run for at least one keep-alive interval; a call whose client
     * went away is cancelled (its thread interrupted, which stops the tool and kills a task's process tree).
     */
    void keepAliveCalls() {
        long now = System.nanoTime();
        watched.forEach(w -> w.check(now, keepAlive.toNanos()));
    }

    /** A tool call in progress on its request thread, with the reply whose stream tells whether the client is there. */
    private static final class WatchedCall {
        private final Thread thread;
        private final PostReply out;
        private final long started;
        private boolean running = true;
        private boolean cancelled;

        WatchedCall(Thread thread, PostReply out, long started) {
            this.thread = thread;
            this.out = out;
            this.started = started;
        }

        synchronized void check(long now, long after) {
            if (running && now - started >= after && !out.keepAlive()) {
                running = false;
                cancelled = true;
                thread.interrupt();
            }
        }

        /** Ends the watch; returns whether the call was cancelled. */
        synchronized boolean end() {
            running = false;
            return cancelled;
        }
    }

    /** Reshapes an answer of the sessionful handlers for protocol 2026-07-28. */
    private McpSchema.JSONRPCResponse shape(
            String method, JsonNode params, McpSchema.JSONRPCResponse r, McpSchema.InitializeResult init) {
        if (r.error() != null) {
            McpSchema.JSONRPCResponse.JSONRPCError e = r.error();
            if (e.code() == McpSchema.ErrorCodes.RESOURCE_NOT_FOUND) {
                JsonNode uri = params == null ? null : params.get("uri");
                Map<String, Object> data = Map.of("uri", uri != null && uri.isString() ? uri.asString() : "");
                return McpSchema.JSONRPCResponse.error(
                        r.id(),
                        new McpSchema.JSONRPCResponse.JSONRPCError(
                                McpSchema.ErrorCodes.INVALID_PARAMS, e.message(), data));
            }
            return r;
        }
        Map<String, Object> result = json.convertValue(r.result(), new TypeRef<LinkedHashMap<String, Object>>() {});
        Map<String, Object> shaped = new LinkedHashMap<>();
        shaped.put("resultType", "complete");
        shaped.putAll(result);
        Map<String, Object> meta = new LinkedHashMap<>();
        if (result.get("_meta") instanceof Map<?, ?> existing) {
            existing.forEach((k, v) -> meta.put(String.valueOf(k), v));
        }
        meta.put(META_SERVER_INFO, serverInfo(init));
        shaped.put("_meta", meta);
        Long ttl = TTL_MILLIS.get(method);
        if (ttl != null) {
            shaped.put("ttlMs", ttl);
            shaped.put("cacheScope", CACHE_SCOPE);
        }
        return McpSchema.JSONRPCResponse.result(r.id(), shaped);
    }

    /** The HTTP status of an answer sent as plain JSON: errors of malformed requests are 400, unknown methods 404. */
    static Status status(McpSchema.JSONRPCResponse r) {
        if (r.error() == null) {
            return Status.OK_200;
        }
        return switch (r.error().code()) {
            case McpSchema.ErrorCodes.PARSE_ERROR,
                    McpSchema.ErrorCodes.INVALID_REQUEST,
                    McpSchema.ErrorCodes.INVALID_PARAMS,
                    HEADER_MISMATCH,
                    UNSUPPORTED_PROTOCOL_VERSION -> Status.BAD_REQUEST_400;
            case McpSchema.ErrorCodes.METHOD_NOT_FOUND -> Status.NOT_FOUND_404;
            default -> Status.OK_200;
        };
    }

    private String serialize(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
