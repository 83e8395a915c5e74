package dev.tandem.hub.dashboard;

import dev.tandem.core.json.Json;
import dev.tandem.hub.auth.BearerAuth;
import dev.tandem.hub.auth.TokenProof;
import dev.tandem.hub.http.UnauthorizedException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How {@code tandem dashboard} gets a login code without its token ever leaving it.
 *
 * <ol>
 *   <li>{@code POST /api/hub-proof {"clientNonce": C}}: the hub answers a fresh {@code hubNonce} H and its
 *       {@link TokenProof#hub proof} for C, H and the address the connection reached. The client checks it before
 *       anything else: a program squatting on the port cannot make it, one relaying to the hub elsewhere gets a
 *       proof for the wrong address.
 *   <li>{@code POST /api/login-codes {"clientNonce": C, "hubNonce": H, "proof": P}}: P is the client's
 *       {@link TokenProof#client proof}; H must be under a minute old and is good for one code. The bearer token
 *       in {@code Authorization} works too, for scripts; a dashboard session does not.
 * </ol>
 */
final class LoginApi {
    static final String PROOF_PATH = "/api/hub-proof";
    static final String CODES_PATH = "/api/login-codes";
    private static final Duration NONCE_TTL = Duration.ofSeconds(60);
    private static final int MAX_BODY = 4096;
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern HUB_NONCE = Pattern.compile("([0-9]{1,12})\\.[A-Za-z0-9_-]{43}");
    private static final JsonMapper JSON = Json.mapper();

    private final DashboardSessions sessions;
    private final BearerAuth bearer;
    private final TokenProof proofs;
    private final Clock clock;
    /** Hub nonces already spent on a code, until they expire; only valid proofs get here. */
    private final Map<String, Long> spent = new ConcurrentHashMap<>();

    LoginApi(DashboardSessions sessions, BearerAuth bearer, TokenProof proofs, Clock clock) {
        this.sessions = sessions;
        this.bearer = bearer;
        this.proofs = proofs;
        this.clock = clock;
    }

    void register(HttpRouting.Builder r) {
        r.post(PROOF_PATH, this::hubProof).post(CODES_PATH, this::loginCode);
    }

    private void hubProof(ServerRequest req, ServerResponse res) {
        String clientNonce = nonce(body(req), "clientNonce");
        String hubNonce = clock.instant().getEpochSecond() + "." + TokenProof.nonce();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("hubNonce", hubNonce);
        out.put("proof", proofs.hub(endpoint(req), clientNonce, hubNonce));
        Replies.ok(res, out);
    }

    private void loginCode(ServerRequest req, ServerResponse res) {
        if (!bearer.accepts(req.headers().first(HeaderNames.AUTHORIZATION))) {
            proven(req);
        }
        String code;
        try {
            code = sessions.newLoginCode(req.headers().first(HeaderNames.HOST).orElse(""));
        } catch (IllegalStateException e) {
            Replies.error(res, Status.TOO_MANY_REQUESTS_429, e.getMessage());
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("code", code);
        out.put("path", PageRoutes.LOGIN_PATH + "?code=" + code);
        out.put("expiresInSeconds", DashboardSessions.CODE_TTL.toSeconds());
        Replies.ok(res, out);
    }

    /** Checks the client's proof in the body; throws {@link UnauthorizedException} unless it holds. */
    private void proven(ServerRequest req) {
        JsonNode body;
        try {
            body = body(req);
        } catch (BadRequestException e) {
            throw new UnauthorizedException("login codes need the hub token: run 'tandem dashboard'");
        }
        String hubNonce = body.path("hubNonce").asString("");
        String clientNonce = body.path("clientNonce").asString("");
        String proof = body.path("proof").asString("");
        var m = HUB_NONCE.matcher(hubNonce);
        long now = clock.instant().getEpochSecond();
        boolean fresh = m.matches()
                && now - Long.parseLong(m.group(1)) <= NONCE_TTL.toSeconds()
                && Long.parseLong(m.group(1)) <= now;
        if (!fresh
                || !NONCE.matcher(clientNonce).matches()
                || !TokenProof.same(proofs.client(endpoint(req), clientNonce, hubNonce), proof)) {
            throw new UnauthorizedException("login codes need the hub token: run 'tandem dashboard'");
        }
        spent.values().removeIf(expiry -> expiry < now);
        if (spent.putIfAbsent(hubNonce, now + NONCE_TTL.toSeconds()) != null) {
            throw new UnauthorizedException("this proof was used already: run 'tandem dashboard' again");
        }
    }

    /** Returns the address and port this connection reached, as the client wrote it into its proof. */
    private static String endpoint(ServerRequest req) {
        InetSocketAddress local = (InetSocketAddress) req.localPeer().address();
        return TokenProof.endpoint(local.getAddress(), local.getPort());
    }

    private static JsonNode body(ServerRequest req) {
        try (InputStream in = req.content().inputStream()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw new BadRequestException("the body is larger than " + MAX_BODY + " bytes");
            }
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new BadRequestException("the body must be a JSON object");
            }
            return node;
        } catch (IOException | JacksonException e) {
            throw new BadRequestException("the body must be a JSON object");
        }
    }

    private static String nonce(JsonNode body, String name) {
        String value = body.path(name).asString("");
        if (!NONCE.matcher(value).matches()) {
            throw new BadRequestException(name + " must be 32 random bytes, base64url without padding");
        }
        return value;
    }
}
