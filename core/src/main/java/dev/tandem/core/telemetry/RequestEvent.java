package dev.tandem.core.telemetry;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One MCP JSON-RPC request the hub answered. Arguments are kept by size only, never their content.
 *
 * @param at when the request arrived
 * @param engine {@code codex}, {@code claude} or {@code other}, derived from the credential (never from the name)
 * @param clientName {@code clientInfo.name} of the session (a label the client chose)
 * @param clientVersion {@code clientInfo.version} of the session
 * @param sessionId the MCP session, empty before one exists
 * @param method the JSON-RPC method, e.g. {@code tools/call}
 * @param target the tool, resource URI or prompt the method names, if any
 * @param durationMicros how long the hub took to answer
 * @param outcome how it ended
 * @param errorClass the JSON-RPC code or the tool error's class; empty when {@code ok}
 * @param argsBytes UTF-8 size of the request's {@code params} JSON
 * @param callId the id the engine gave the tool call in {@code _meta} (Claude Code: {@code claudecode/toolUseId};
 *     Codex: {@code callId}), if it sent one
 * @param engineSession the engine's own session the call came from, if it said (Codex: {@code _meta.sessionId})
 * @param credential which credential made the call: {@code person}, {@code codex} or {@code claude}; empty when
 *     not known (rows recorded before credentials were)
 * @param host the machine the request came from when it is not the recording hub's own (an enrolled fleet host);
 *     empty for the hub's own machine. Read back, the host is {@link Recorded#host()}
 */
public record RequestEvent(
        Instant at,
        String engine,
        String clientName,
        String clientVersion,
        String sessionId,
        String method,
        Optional<String> target,
        long durationMicros,
        Outcome outcome,
        Optional<String> errorClass,
        long argsBytes,
        Optional<String> callId,
        Optional<String> engineSession,
        String credential,
        String host) {

    public RequestEvent {
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(clientName, "clientName");
        Objects.requireNonNull(clientVersion, "clientVersion");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(errorClass, "errorClass");
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(engineSession, "engineSession");
    }

    /** A request from the recording hub's own machine. */
    public RequestEvent(
            Instant at,
            String engine,
            String clientName,
            String clientVersion,
            String sessionId,
            String method,
            Optional<String> target,
            long durationMicros,
            Outcome outcome,
            Optional<String> errorClass,
            long argsBytes,
            Optional<String> callId,
            Optional<String> engineSession,
            String credential) {
        this(
                at,
                engine,
                clientName,
                clientVersion,
                sessionId,
                method,
                target,
                durationMicros,
                outcome,
                errorClass,
                argsBytes,
                callId,
                engineSession,
                credential,
                "");
    }

    /** A request that carried no engine call id or session, by a credential not known (tests, old rows). */
    public RequestEvent(
            Instant at,
            String engine,
            String clientName,
            String clientVersion,
            String sessionId,
            String method,
            Optional<String> target,
            long durationMicros,
            Outcome outcome,
            Optional<String> errorClass,
            long argsBytes) {
        this(
                at,
                engine,
                clientName,
                clientVersion,
                sessionId,
                method,
                target,
                durationMicros,
                outcome,
                errorClass,
                argsBytes,
                Optional.empty(),
                Optional.empty(),
                "");
    }
}
