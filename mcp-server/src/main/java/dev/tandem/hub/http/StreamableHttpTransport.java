package dev.tandem.hub.http;

import dev.tandem.hub.auth.Credential;
import dev.tandem.hub.telemetry.RequestRecorder;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.ProtocolVersions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * MCP Streamable HTTP (POST, GET and DELETE on one endpoint) on Helidon SE.
 *
 * <p>Spec: https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#streamable-http
 */
public final class StreamableHttpTransport implements McpStreamableServerTransportProvider {
    /** The protocol versions offered, oldest first; the SDK answers an unknown request with the newest. */
    public static final List<String> PROTOCOL_VERSIONS =
            List.of(ProtocolVersions.MCP_2025_03_26, ProtocolVersions.MCP_2025_06_18, ProtocolVersions.MCP_2025_11_25);

    static final HeaderName MCP_SESSION_ID = HeaderNames.create("Mcp-Session-Id");
    static final HeaderName MCP_PROTOCOL_VERSION = HeaderNames.create("MCP-Protocol-Version");
    /** The hub's JSON-RPC error for an unknown or expired {@code Mcp-Session-Id} (a server-defined code). */
    static final int SESSION_NOT_FOUND = -32001;

    private static final int PARSE_ERROR = McpSchema.ErrorCodes.PARSE_ERROR;
    private static final int INVALID_REQUEST = McpSchema.ErrorCodes.INVALID_REQUEST;
    /** The first protocol revision without JSON-RPC batches; revisions are dates, so they compare as strings. */
    static final String FIRST_WITHOUT_BATCHES = ProtocolVersions.MCP_2025_06_18;

    private static final int INVALID_PARAMS = McpSchema.ErrorCodes.INVALID_PARAMS;
    private static final int INTERNAL_ERROR = McpSchema.ErrorCodes.INTERNAL_ERROR;
    /** The most bytes of {@code initialize}'s params (capabilities and clientInfo), all a session keeps of them. */
    static final int MAX_INITIALIZE_PARAMS_BYTES = 64 * 1024;
    /** The most characters of {@code clientInfo}'s name, title and version a session keeps. */
    static final int MAX_CLIENT_LABEL_CHARS = 256;

    private static final Logger LOG = Logger.getLogger(StreamableHttpTransport.class.getName());
    /**
     * The most JSON tokens (names, values, brackets) one request body may hold: a real request has hundreds, a full
     * batch thousands; 4 MiB of {@code [{},{},…]} would be well over a million tree nodes (100+ MB) before any limit
     * on the batch is checked.
     */
    static final long MAX_BODY_TOKENS = 100_000;

    private static final JsonMapper TREE = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxTokenCount(MAX_BODY_TOKENS)
                            .build())
                    .build())
            .build();

    private final McpJsonMapper json;
    private final long maxBodyBytes;
    private final long idleMillis;
    private final Clock clock;
    private final SessionLimits limits;
    private final ConcurrentHashMap<String, HubSession> sessions = new ConcurrentHashMap<>();
    /** Held while a session is added, so concurrent {@code initialize} calls cannot pass the per-credential cap. */
    private final Object registering = new Object();

    private final RequestTelemetry telemetry;
    private final ToolVisibility tools = new ToolVisibility();
    private final StatelessRequests stateless;
    private final ScheduledExecutorService timer;
    private final ScheduledFuture<?> sweeper;
    private final ScheduledFuture<?> pinger;
    private volatile McpStreamableServerSession.Factory sessionFactory;
    private volatile boolean closing;

    /**
     * The hub's own host ({@code [memory] host}, else this machine's name, looked up once by the caller): the host of
     * every request made with a credential of this machine (an enrolled host's key names its own).
     */
    private final String localHost;

    public StreamableHttpTransport(
            McpJsonMapper json,
            long maxBodyBytes,
            Duration idleTimeout,
            Duration keepAlive,
            Clock clock,
            String localHost,
            SessionLimits limits) {
        this.localHost = Objects.requireNonNull(localHost, "localHost");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.json = json;
        this.maxBodyBytes = maxBodyBytes;
        this.idleMillis = idleTimeout.toMillis();
        this.clock = clock;
        this.telemetry = new RequestTelemetry(clock);
        this.stateless =
                new StatelessRequests(json, telemetry, () -> sessionFactory, tools, keepAlive, () -> localHost);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tandem-sessions");
            t.setDaemon(true);
            return t;
        });
        long sweepEvery = Math.max(50, Math.min(idleMillis / 4, 30_000));
        this.sweeper = timer.scheduleWithFixedDelay(this::sweep, sweepEvery, sweepEvery, TimeUnit.MILLISECONDS);
        long ping = keepAlive.toMillis();
        this.pinger = timer.scheduleWithFixedDelay(this::keepAlive, ping, ping, TimeUnit.MILLISECONDS);
    }

    @Override
    public List<String> protocolVersions() {
        return PROTOCOL_VERSIONS;
    }

    @Override
    public void setSessionFactory(McpStreamableServerSession.Factory sessionFactory) {
        this.sessionFactory = sessionFactory;
    }

    /** Adds an extension of protocol 2026-07-28, answered on {@code /mcp} and declared in {@code server/discover}. */
    public void extension(ProtocolExtension extension) {
        stateless.extension(extension);
    }

    /**
     * Sets which tools each engine may see and call ({@code [clients.ENGINE] tools}), on both revisions; the engine
     * is the one of the request's credential.
     */
    public void toolProfiles(BiPredicate<String, String> allows) {
        tools.rule(allows);
    }

    /** Returns the hub's own host. */
    public String localHost() {
        return localHost;
    }

    /** Hands every answered JSON-RPC request to {@code recorder}, just before its response is written. */
    public void recorder(RequestRecorder recorder) {
        telemetry.recorder(recorder);
    }

    /**
     * Sets which targets (method, then tool or prompt name or resource URI) telemetry records as they are; any other
     * is recorded as {@code unknown:} and its bounded start.
     */
    public void registeredTargets(BiPredicate<String, String> registered) {
        telemetry.registered(registered);
    }

    /** Returns how many sessions are open. */
    public int sessionCount() {
        return sessions.size();
    }

    // ---- POST ---------------------------------------------------------------------------------------------------

    void post(ServerRequest req, ServerResponse res) {
        if (closing) {
            HttpReplies.json(res, Status.SERVICE_UNAVAILABLE_503, "{\"error\":\"hub is shutting down\"}");
            return;
        }
        if (!isJsonContentType(req.headers().first(HeaderNames.CONTENT_TYPE))) {
            HttpReplies.rpcError(
                    res,
                    Status.UNSUPPORTED_MEDIA_TYPE_415,
                    null,
                    INVALID_REQUEST,
                    "Content-Type must be application/json");
            return;
        }
        Accept accept = Accept.parse(req.headers().first(HeaderNames.ACCEPT));
        if (!accept.json() && !accept.eventStream()) {
            HttpReplies.rpcError(
                    res,
                    Status.NOT_ACCEPTABLE_406,
                    null,
                    INVALID_REQUEST,
                    "Accept must include application/json and text/event-stream");
            return;
        }
        Optional<String> body = readBody(req, res);
        if (body.isEmpty()) {
            return;
        }
        JsonNode tree;
        try {
            tree = TREE.readTree(body.get());
        } catch (StreamConstraintsException e) {
            HttpReplies.rpcError(
                    res,
                    Status.BAD_REQUEST_400,
                    null,
                    PARSE_ERROR,
                    "Parse error: the body holds more than " + MAX_BODY_TOKENS
                            + " JSON tokens (names, values and brackets), the most one request may");
            return;
        } catch (JacksonException e) {
            HttpReplies.rpcError(res, Status.BAD_REQUEST_400, null, PARSE_ERROR, "Parse error: body is not valid JSON");
            return;
        }
        if (tree != null && tree.isArray()) {
            batch(req, res, tree);
            return;
        }
        if (tree == null || !tree.isObject()) {
            HttpReplies.rpcError(
                    res,
                    Status.BAD_REQUEST_400,
                    null,
                    INVALID_REQUEST,
                    "Invalid Request: expected a JSON-RPC object or batch");
            return;
        }
        if (StatelessRequests.isStateless(req, tree)) {
            stateless.serve(req, res, tree, accept, remote(req));
            return;
        }
        McpSchema.JSONRPCMessage message;
        try {
            if (!ParamShapes.structured(tree.get("params"))) {
                throw new IllegalArgumentException("params is neither an object nor an array");
            }
            message = McpSchema.deserializeJsonRpcMessage(json, body.get());
        } catch (IOException | IllegalArgumentException e) {
            HttpReplies.rpcError(
                    res,
                    Status.BAD_REQUEST_400,
                    idOf(tree),
                    INVALID_REQUEST,
                    "Invalid Request: not a JSON-RPC 2.0 message");
            return;
        }
        String remote = remote(req);
        if (message instanceof McpSchema.JSONRPCRequest request) {
            if (McpSchema.METHOD_INITIALIZE.equals(request.method())) {
                RequestTelemetry.Start start = telemetry.start();
                initialize(request, remote, TransportContexts.credential(req), accept, res, tree.get("params"), start);
                return;
            }
        }
        Optional<HubSession> session = session(req, res);
        if (session.isEmpty()) {
            return;
        }
        HubSession s = session.get();
        s.touch(clock.millis());
        McpTransportContext ctx = TransportContexts.of(remote, s, localHost);
        switch (message) {
            case McpSchema.JSONRPCRequest request -> {
                RequestTelemetry.Start start = telemetry.start();
                JsonNode params = tree.get("params");
                PostReply reply = new PostReply(
                        res, request.id(), accept, json, r -> record(s, request, params, start, Optional.of(r)));
                handle(s, request, params, reply, ctx);
                reply.finish();
                if (reply.response().isEmpty()) {
                    record(s, request, params, start, Optional.empty());
                }
            }
            case McpSchema.JSONRPCNotification note -> {
                accept(s, note, ctx);
                res.status(Status.ACCEPTED_202).send();
            }
            case McpSchema.JSONRPCResponse response -> {
                accept(s, response, ctx);
                res.status(Status.ACCEPTED_202).send();
            }
            default -> HttpReplies.rpcError(res, Status.BAD_REQUEST_400, null, INVALID_REQUEST, "Invalid Request");
        }
    }

    /**
     * Hands a request to the SDK, after checking the JSON types of its params; a request the SDK fails on without
     * answering gets -32603, so no request ends without a JSON-RPC answer.
     */
    private void handle(
            HubSession s,
            McpSchema.JSONRPCRequest request,
            JsonNode params,
            ReplyTransport reply,
            McpTransportContext ctx) {
        Optional<String> problem = ParamShapes.problem(request.method(), params);
        if (problem.isPresent()) {
            reply.sendMessage(error(request.id(), INVALID_PARAMS, problem.get()))
                    .block();
            return;
        }
        Optional<McpSchema.JSONRPCResponse> hidden =
                tools.refusal(s.credential, request.method(), params, request.id());
        if (hidden.isPresent()) {
            reply.sendMessage(hidden.get()).block();
            return;
        }
        ReplyTransport out = McpSchema.METHOD_TOOLS_LIST.equals(request.method())
                ? tools.filtering(s.credential, reply, request.id())
                : reply;
        try {
            s.session
                    .responseStream(out)
                    .handle(request)
                    .contextWrite(c -> c.put(McpTransportContext.KEY, ctx))
                    .block();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "request failed", e);
        }
        if (reply.response().isEmpty()) {
            reply.answerIfUnanswered(error(request.id(), INTERNAL_ERROR, "Internal error"));
        }
    }

    private static McpSchema.JSONRPCResponse error(Object id, int code, String message) {
        return McpSchema.JSONRPCResponse.error(id, new McpSchema.JSONRPCResponse.JSONRPCError(code, message, null));
    }

    private static void accept(HubSession s, McpSchema.JSONRPCMessage message, McpTransportContext ctx) {
        Mono<Void> handled = message instanceof McpSchema.JSONRPCResponse r
                ? s.session.accept(r)
                : s.session.accept((McpSchema.JSONRPCNotification) message);
        handled.contextWrite(c -> c.put(McpTransportContext.KEY, ctx))
                .onErrorResume(e -> Mono.empty())
                .block();
    }

    /**
     * Answers a JSON-RPC batch, which protocol 2025-03-26 requires servers to accept: every request is handled in
     * order and the responses go back as one JSON array; a batch of only notifications and responses gets 202.
     * Protocol 2025-06-18 removed batches (https://modelcontextprotocol.io/specification/2025-06-18/changelog: "the
     * body of the POST request MUST be a single JSON-RPC request, notification, or response"), so a session that
     * negotiated it or a later revision gets 400 and nothing is run.
     * {@code initialize} cannot be batched, and nothing can be streamed to the client during a batch. A batch longer
     * than {@code [hub] max_batch_messages} is refused whole; once the answers would pass {@code [hub]
     * max_batch_answer_bytes}, the remaining requests are not run and each gets an error naming that limit.
     */
    private void batch(ServerRequest req, ServerResponse res, JsonNode array) {
        if (array.isEmpty()) {
            HttpReplies.rpcError(res, Status.BAD_REQUEST_400, null, INVALID_REQUEST, "Invalid Request: empty batch");
            return;
        }
        if (array.size() > limits.maxBatchMessages()) {
            HttpReplies.rpcError(
                    res,
                    Status.BAD_REQUEST_400,
                    null,
                    INVALID_REQUEST,
                    "Invalid Request: a batch of " + array.size() + " messages is over the limit of "
                            + limits.maxBatchMessages() + " ([hub] max_batch_messages); nothing was run");
            return;
        }
        Optional<HubSession> session = session(req, res);
        if (session.isEmpty()) {
            return;
        }
        HubSession s = session.get();
        if (s.protocolVersion.compareTo(FIRST_WITHOUT_BATCHES) >= 0) {
            HttpReplies.rpcError(
                    res,
                    Status.BAD_REQUEST_400,
                    null,
                    INVALID_REQUEST,
                    "Invalid Request: this session speaks protocol " + s.protocolVersion
                            + ", which has no JSON-RPC batches (removed in " + FIRST_WITHOUT_BATCHES
                            + "); send each message in its own POST; nothing was run");
            return;
        }
        s.touch(clock.millis());
        McpTransportContext ctx = TransportContexts.of(remote(req), s, localHost);
        BatchAnswers answers = new BatchAnswers(limits.maxBatchAnswerBytes());
        for (JsonNode item : array) {
            McpSchema.JSONRPCMessage message;
            try {
                if (!item.isObject() || !ParamShapes.structured(item.get("params"))) {
                    throw new IllegalArgumentException("not a JSON-RPC object with structured params");
                }
                message = McpSchema.deserializeJsonRpcMessage(json, TREE.writeValueAsString(item));
            } catch (IOException | IllegalArgumentException | JacksonException e) {
                answers.add(HttpReplies.rpcErrorBody(
                        idOf(item), INVALID_REQUEST, "Invalid Request: not a JSON-RPC 2.0 message"));
                continue;
            }
            if (message instanceof McpSchema.JSONRPCRequest request) {
                if (McpSchema.METHOD_INITIALIZE.equals(request.method())) {
                    answers.add(HttpReplies.rpcErrorBody(
                            request.id(), INVALID_REQUEST, "initialize cannot be part of a batch"));
                    continue;
                }
                if (answers.full()) {
                    answers.add(answers.notRun(request.id()));
                    continue;
                }
                RequestTelemetry.Start start = telemetry.start();
                BatchReply reply = new BatchReply(request.id(), json);
                handle(s, request, item.get("params"), reply, ctx);
                reply.answer().ifPresent(a -> answers.addWithin(a, request.id()));
                record(s, request, item.get("params"), start, reply.response());
            } else {
                accept(s, message, ctx);
            }
        }
        if (answers.isEmpty()) {
            res.status(Status.ACCEPTED_202).send();
        } else {
            HttpReplies.json(res, Status.OK_200, answers.joined());
        }
    }

    private void record(
            HubSession s,
            McpSchema.JSONRPCRequest request,
            JsonNode params,
            RequestTelemetry.Start start,
            Optional<McpSchema.JSONRPCResponse> response) {
        telemetry.record(
                s.credential, s.clientName, s.clientVersion, s.id(), request.method(), params, start, response);
    }

    private void initialize(
            McpSchema.JSONRPCRequest request,
            String remote,
            Credential credential,
            Accept accept,
            ServerResponse res,
            JsonNode params,
            RequestTelemetry.Start start) {
        McpStreamableServerSession.Factory factory = sessionFactory;
        if (factory == null) {
            HttpReplies.rpcError(res, Status.SERVICE_UNAVAILABLE_503, request.id(), INTERNAL_ERROR, "Hub is starting");
            return;
        }
        Optional<String> problem = ParamShapes.problem(McpSchema.METHOD_INITIALIZE, params);
        if (problem.isPresent()) {
            HttpReplies.rpcError(res, Status.BAD_REQUEST_400, request.id(), INVALID_PARAMS, problem.get());
            return;
        }
        long paramsBytes = params == null ? 0 : TREE.writeValueAsBytes(params).length;
        if (paramsBytes > MAX_INITIALIZE_PARAMS_BYTES) {
            HttpReplies.rpcError(
                    res,
                    Status.BAD_REQUEST_400,
                    request.id(),
                    INVALID_PARAMS,
                    "initialize params are " + paramsBytes + " bytes, over the limit of " + MAX_INITIALIZE_PARAMS_BYTES
                            + " bytes");
            return;
        }
        McpSchema.InitializeRequest init;
        try {
            init = json.convertValue(request.params(), new TypeRef<McpSchema.InitializeRequest>() {});
        } catch (RuntimeException e) {
            HttpReplies.rpcError(
                    res, Status.BAD_REQUEST_400, request.id(), INVALID_PARAMS, "Invalid params for initialize");
            return;
        }
        if (init == null || init.protocolVersion() == null) {
            HttpReplies.rpcError(
                    res,
                    Status.BAD_REQUEST_400,
                    request.id(),
                    INVALID_PARAMS,
                    "initialize needs protocolVersion, capabilities and clientInfo");
            return;
        }
        init = bounded(init);
        var started = factory.startSession(init);
        String name =
                init.clientInfo() == null ? "" : nullToEmpty(init.clientInfo().name());
        String version =
                init.clientInfo() == null ? "" : nullToEmpty(init.clientInfo().version());
        String negotiated = PROTOCOL_VERSIONS.contains(init.protocolVersion())
                ? init.protocolVersion()
                : PROTOCOL_VERSIONS.get(PROTOCOL_VERSIONS.size() - 1);
        HubSession session = new HubSession(started.session(), name, version, negotiated, credential, clock.millis());
        McpTransportContext ctx = TransportContexts.of(remote, session, localHost);
        McpSchema.InitializeResult result;
        try {
            result = started.initResult()
                    .contextWrite(c -> c.put(McpTransportContext.KEY, ctx))
                    .block();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "initialize failed", e);
            HttpReplies.rpcError(
                    res, Status.INTERNAL_SERVER_ERROR_500, request.id(), INTERNAL_ERROR, "initialize failed");
            return;
        }
        register(session);
        res.header(MCP_SESSION_ID, session.id());
        PostReply reply = new PostReply(
                res, request.id(), accept, json, r -> record(session, request, params, start, Optional.of(r)));
        reply.sendMessage(McpSchema.JSONRPCResponse.result(request.id(), result))
                .block();
        reply.finish();
    }

    /**
     * Returns {@code init} with only what a session needs of its {@code clientInfo}: name, title and version, each cut
     * to {@value #MAX_CLIENT_LABEL_CHARS} characters (they are labels in telemetry and logs); icons, description,
     * website and {@code _meta} are dropped.
     */
    private static McpSchema.InitializeRequest bounded(McpSchema.InitializeRequest init) {
        McpSchema.Implementation info = init.clientInfo();
        McpSchema.Implementation kept = info == null
                ? null
                : new McpSchema.Implementation(
                        cut(info.name()), cut(info.title()), cut(info.version()), null, null, null);
        return new McpSchema.InitializeRequest(init.protocolVersion(), init.capabilities(), kept, null);
    }

    static String cut(String label) {
        return label == null || label.length() <= MAX_CLIENT_LABEL_CHARS
                ? label
                : label.substring(
                        0,
                        Character.isHighSurrogate(label.charAt(MAX_CLIENT_LABEL_CHARS - 1))
                                ? MAX_CLIENT_LABEL_CHARS - 1 // not half a character
                                : MAX_CLIENT_LABEL_CHARS);
    }

    /**
     * Adds {@code session}; when its credential then holds more than {@code [hub] max_sessions_per_credential}
     * sessions, closes the ones it used least recently (those with an open GET stream last). A client whose session
     * was closed gets 404 on its next request and, as the spec asks, starts a new one with {@code initialize}.
     */
    private void register(HubSession session) {
        List<HubSession> evicted = new ArrayList<>();
        synchronized (registering) {
            record Use(HubSession session, boolean streaming, long lastActive) {}
            List<Use> same = sessions.values().stream()
                    .filter(s -> s.credential.equals(session.credential))
                    .map(s -> new Use(s, s.streaming(), s.lastActive()))
                    .sorted(Comparator.comparing(Use::streaming).thenComparingLong(Use::lastActive))
                    .toList();
            int over = same.size() + 1 - limits.maxSessionsPerCredential();
            for (int i = 0; i < over; i++) {
                HubSession old = same.get(i).session();
                if (sessions.remove(old.id(), old)) {
                    evicted.add(old);
                }
            }
            sessions.put(session.id(), session);
        }
        if (!evicted.isEmpty()) {
            LOG.info("closed " + evicted.size() + " least recently used session(s) of credential "
                    + session.credential.name() + ": it holds at most " + limits.maxSessionsPerCredential()
                    + " ([hub] max_sessions_per_credential)");
        }
        evicted.forEach(StreamableHttpTransport::close);
    }

    // ---- GET ----------------------------------------------------------------------------------------------------

    void get(ServerRequest req, ServerResponse res) {
        if (closing) {
            HttpReplies.json(res, Status.SERVICE_UNAVAILABLE_503, "{\"error\":\"hub is shutting down\"}");
            return;
        }
        Accept accept = Accept.parse(req.headers().first(HeaderNames.ACCEPT));
        if (!accept.eventStream()) {
            HttpReplies.rpcError(
                    res, Status.NOT_ACCEPTABLE_406, null, INVALID_REQUEST, "Accept must include text/event-stream");
            return;
        }
        Optional<HubSession> session = session(req, res);
        if (session.isEmpty()) {
            return;
        }
        HubSession s = session.get();
        s.touch(clock.millis());
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, HttpReplies.TEXT_EVENT_STREAM);
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        SseWriter sse = new SseWriter(res.outputStream());
        ListeningStream stream = new ListeningStream(sse, json);
        s.streams.add(stream);
        s.session.listeningStream(stream);
        if (!sse.open() || closing) {
            stream.close();
        }
        try {
            stream.awaitClose();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            s.streams.remove(stream);
            stream.close();
            s.touch(clock.millis());
        }
    }

    // ---- DELETE -------------------------------------------------------------------------------------------------

    void delete(ServerRequest req, ServerResponse res) {
        Optional<HubSession> session = session(req, res);
        if (session.isEmpty()) {
            return;
        }
        HubSession s = session.get();
        sessions.remove(s.id());
        close(s);
        res.status(Status.OK_200).send();
    }

    // ---- shared -------------------------------------------------------------------------------------------------

    private Optional<HubSession> session(ServerRequest req, ServerResponse res) {
        Optional<String> id = req.headers().first(MCP_SESSION_ID).map(String::strip);
        if (id.isEmpty() || id.get().isEmpty()) {
            HttpReplies.rpcError(
                    res,
                    Status.BAD_REQUEST_400,
                    null,
                    INVALID_REQUEST,
                    "Bad Request: Mcp-Session-Id header is required");
            return Optional.empty();
        }
        Optional<String> version = req.headers().first(MCP_PROTOCOL_VERSION);
        if (version.isPresent() && !PROTOCOL_VERSIONS.contains(version.get().strip())) {
            HttpReplies.rpcError(
                    res,
                    Status.BAD_REQUEST_400,
                    null,
                    INVALID_REQUEST,
                    "Bad Request: unsupported MCP-Protocol-Version; supported: "
                            + String.join(", ", PROTOCOL_VERSIONS));
            return Optional.empty();
        }
        HubSession s = sessions.get(id.get());
        // a session belongs to the credential that opened it: another credential is told it does not exist
        if (s == null || !s.credential.equals(TransportContexts.credential(req))) {
            HttpReplies.rpcError(
                    res,
                    Status.NOT_FOUND_404,
                    null,
                    SESSION_NOT_FOUND,
                    "Session not found: start a new one with initialize");
            return Optional.empty();
        }
        return Optional.of(s);
    }

    private Optional<String> readBody(ServerRequest req, ServerResponse res) {
        long declared = req.headers().contentLength().orElse(-1);
        if (declared > maxBodyBytes) {
            tooLarge(res);
            return Optional.empty();
        }
        try (InputStream in = req.content().inputStream()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
            if (bytes.length > maxBodyBytes) {
                tooLarge(res);
                return Optional.empty();
            }
            return Optional.of(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            HttpReplies.rpcError(
                    res, Status.BAD_REQUEST_400, null, PARSE_ERROR, "Parse error: cannot read request body");
            return Optional.empty();
        }
    }

    private void tooLarge(ServerResponse res) {
        HttpReplies.rpcError(
                res,
                Status.REQUEST_ENTITY_TOO_LARGE_413,
                null,
                INVALID_REQUEST,
                "Request body is larger than the limit of " + maxBodyBytes + " bytes");
    }

    private static boolean isJsonContentType(Optional<String> contentType) {
        if (contentType.isEmpty()) {
            return false;
        }
        String type = contentType.get().split(";", 2)[0].strip();
        return type.equalsIgnoreCase(HttpReplies.APPLICATION_JSON);
    }

    /**
     * Returns the request's id when it is a valid JSON-RPC id (a string or an integer), else null: JSON-RPC 2.0
     * answers with {@code "id": null} when the id cannot be determined. An id like {@code 1.5}, {@code 2^64} or
     * {@code {}} must not reach {@code longValue()}/{@code asString()}, which throw and turned the reply into a 500.
     */
    static Object idOf(JsonNode tree) {
        JsonNode id = tree.get("id");
        if (id == null) {
            return null;
        }
        if (id.isString()) {
            return id.asString();
        }
        return id.isIntegralNumber() && id.canConvertToLong() ? (Object) id.longValue() : null;
    }

    private static String remote(ServerRequest req) {
        // the literal address, as the edge checks keys against it (a TLS peer's host() is a name)
        return HttpEdge.sourceAddress(req) + ":" + req.remotePeer().port();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private void sweep() {
        long now = clock.millis();
        sessions.values().removeIf(s -> {
            if (s.idleSince(now, idleMillis)) {
                close(s);
                return true;
            }
            return false;
        });
    }

    private void keepAlive() {
        sessions.values().forEach(s -> s.streams.forEach(ListeningStream::keepAlive));
        stateless.subscriptions().keepAlive();
        stateless.keepAliveCalls();
    }

    private static void close(HubSession s) {
        s.closeStreams();
        try {
            s.session.closeGracefully().block(Duration.ofSeconds(1));
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "closing session failed", e);
        }
    }

    @Override
    public Mono<Void> notifyClients(String method, Object params) {
        return Mono.fromRunnable(() -> {
            stateless.subscriptions().broadcast(method);
            notifySessions(method, params);
        });
    }

    private void notifySessions(String method, Object params) {
        sessions.values().forEach(s -> {
            try {
                s.session.sendNotification(method, params).block(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "notification not delivered", e);
            }
        });
    }

    @Override
    public Mono<Void> notifyClient(String sessionId, String method, Object params) {
        return Mono.defer(() -> {
            HubSession s = sessions.get(sessionId);
            return s == null ? Mono.empty() : s.session.sendNotification(method, params);
        });
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(() -> {
            closing = true;
            stateless.subscriptions().closeAll();
            sweeper.cancel(false);
            pinger.cancel(false);
            timer.shutdownNow();
            sessions.values().forEach(HubSession::closeStreams);
            sessions.values().forEach(StreamableHttpTransport::close);
            sessions.clear();
        });
    }
}
