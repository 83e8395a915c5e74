package dev.tandem.hub;

import dev.tandem.hub.auth.TokenProof;
import dev.tandem.hub.cli.HubUsage;
import dev.tandem.hub.http.GuardedArea;
import dev.tandem.hub.http.HubFeature;
import dev.tandem.hub.logging.OneLineFormatter;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /api/usage/cli}: {@code tandem usage} answered by the running hub (docs/usage.md, "Answered by the
 * running hub"), behind the bearer token only (no dashboard cookie). The form carries the command's arguments
 * ({@code arg}, in order), its working folder ({@code cwd}) and the environment variables that decide what it reads
 * ({@code env=NAME=value}). 200: a line {@code EXIT OUT_BYTES}, then what the command printed on standard output,
 * then on standard error; 409 with a one-line reason when the hub does not answer it (the client then runs it).
 *
 * <p>Besides the bearer token (and an enrolled host's key), the endpoint takes its own key, {@link #KEY_HEADER}: a
 * random value made at each start and recorded in {@code ~/.tandem/state/hub.json} (mode 0600), which
 * {@code bin/usage-via-hub} sends instead of the token. A program listening on a dead hub's port since (another
 * user's, say) is then sent only that hub's key, which no hub takes any more, never the person's token. An answer
 * to that key carries a second value of the record, the proof, which the hub sends no one else: the client prints
 * only an answer that carries it, so such a program cannot put its own bytes on the person's terminal either.
 */
final class UsageEndpoint implements HubFeature {
    static final String PATH = "/api/usage/cli";
    static final HeaderName KEY_HEADER = HeaderNames.create("X-Tandem-Usage-Key");
    private static final Map<String, String> HEADERS =
            Map.of("Cache-Control", "no-store", "X-Content-Type-Options", "nosniff");

    private final HubUsage usage;
    private final byte[] key;
    private final String proof;

    UsageEndpoint(HubUsage usage) {
        this.usage = usage;
        this.key = TokenProof.nonce().getBytes(StandardCharsets.US_ASCII);
        this.proof = TokenProof.nonce();
        OneLineFormatter.redact(key());
        OneLineFormatter.redact(proof);
    }

    /** Returns this start's key (43 characters of base64url, 256 random bits). */
    String key() {
        return new String(key, StandardCharsets.US_ASCII);
    }

    /** Returns this start's proof, sent only in answers to {@link #key()} (43 characters of base64url). */
    String proof() {
        return proof;
    }

    /** Whether {@code req} carries this start's key (compared in constant time). */
    private boolean carriesKey(ServerRequest req) {
        return req.headers()
                .first(KEY_HEADER)
                .map(v -> MessageDigest.isEqual(v.getBytes(StandardCharsets.US_ASCII), key))
                .orElse(false);
    }

    @Override
    public GuardedArea area() {
        // the key is sent by a program that read the person's own record, never by a browser: no Origin asked for
        // a wrong key is a failed authentication like a wrong token: counted, slowed and blocked alike
        return new GuardedArea(
                PATH::equals,
                Set.of(),
                this::carriesKey,
                false,
                HEADERS,
                (req, res, why) -> {
                    res.status(Status.UNAUTHORIZED_401);
                    res.send(why.orElse("unauthorized") + "\n");
                },
                Set.of(KEY_HEADER.defaultCase()));
    }

    @Override
    public void routes(HttpRouting.Builder routing) {
        routing.post(PATH, this::run);
    }

    private void run(ServerRequest req, ServerResponse res) {
        List<String> args = new ArrayList<>();
        Map<String, String> env = new HashMap<>();
        Optional<Path> cwd = Optional.empty();
        String body = req.content().as(String.class);
        for (String pair : body.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                // a cut or bad percent escape: named by the field's name as sent (the value may be anything)
                String field = eq < 0 ? pair : pair.substring(0, eq);
                refuse(
                        res,
                        Status.BAD_REQUEST_400,
                        "field '" + (field.length() > 40 ? field.substring(0, 40) + "…" : field)
                                + "' is not form-encoded (a bad percent escape)");
                return;
            }
            switch (name) {
                case "arg" -> args.add(value);
                case "cwd" -> {
                    try {
                        cwd = Optional.of(Path.of(value));
                    } catch (InvalidPathException e) {
                        refuse(res, Status.BAD_REQUEST_400, "cwd is not a path: " + e.getReason());
                        return;
                    }
                }
                case "env" -> {
                    int e = value.indexOf('=');
                    if (e > 0) {
                        env.put(value.substring(0, e), value.substring(e + 1));
                    }
                }
                default -> {
                    refuse(res, Status.BAD_REQUEST_400, "unknown field '" + name + "'");
                    return;
                }
            }
        }
        if (cwd.isEmpty() || !cwd.get().isAbsolute()) {
            refuse(res, Status.BAD_REQUEST_400, "cwd must be an absolute path");
            return;
        }
        try {
            // only the person's own 'tandem usage' (the key's holder) takes the damaged-line warnings: another
            // caller with the token would otherwise take them away from the person's next run
            boolean person = carriesKey(req);
            HubUsage.Answer a = usage.run(args, cwd.get(), env, person);
            res.status(Status.OK_200);
            res.header(HeaderNames.CONTENT_TYPE, "application/octet-stream");
            res.send(person ? a.wire(proof) : a.wire());
        } catch (HubUsage.NotHere e) {
            refuse(res, Status.CONFLICT_409, e.getMessage());
        }
    }

    private static void refuse(ServerResponse res, Status status, String why) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        res.send(("tandem: the hub does not answer this: " + why + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
