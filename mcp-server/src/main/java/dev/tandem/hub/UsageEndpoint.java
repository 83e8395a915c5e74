package dev.tandem.hub;

import dev.tandem.hub.cli.HubUsage;
import dev.tandem.hub.http.GuardedArea;
import dev.tandem.hub.http.HubFeature;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
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
 */
final class UsageEndpoint implements HubFeature {
    static final String PATH = "/api/usage/cli";
    private static final Map<String, String> HEADERS =
            Map.of("Cache-Control", "no-store", "X-Content-Type-Options", "nosniff");

    private final HubUsage usage;

    UsageEndpoint(HubUsage usage) {
        this.usage = usage;
    }

    @Override
    public GuardedArea area() {
        return new GuardedArea(PATH::equals, Set.of(), req -> false, true, HEADERS, (req, res, why) -> {
            res.status(Status.UNAUTHORIZED_401);
            res.send(why.orElse("unauthorized") + "\n");
        });
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
            HubUsage.Answer a = usage.run(args, cwd.get(), env);
            res.status(Status.OK_200);
            res.header(HeaderNames.CONTENT_TYPE, "application/octet-stream");
            res.send(a.wire());
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
