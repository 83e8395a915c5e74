package dev.tandem.hub;

import dev.tandem.core.config.HubConfig;
import dev.tandem.core.fleet.ClientFile;
import dev.tandem.core.fleet.ClientsTree;
import dev.tandem.core.fleet.FleetContentException;
import dev.tandem.core.json.Json;
import dev.tandem.hub.http.GuardedArea;
import dev.tandem.hub.http.HubFeature;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import tools.jackson.databind.json.JsonMapper;

/**
 * The canonical {@code clients/} content of this hub, read-only, for {@code tandem sync push-runtime --from} and
 * {@code check-sync --from} on other machines (docs/fleet.md, "Host scope and sync from the fleet"), behind the
 * bearer credential only (no dashboard cookie): {@code GET /api/fleet/clients} answers the manifest, {@code {"label":
 * "clients/", "files": [{"path", "sha256", "size"}]}}; {@code GET /api/fleet/clients/PATH} the bytes of one listed
 * file, 404 for anything else.
 */
final class FleetClientsEndpoint implements HubFeature {
    static final String PATH = "/api/fleet/clients";
    private static final Logger LOG = Logger.getLogger(FleetClientsEndpoint.class.getName());
    private static final JsonMapper JSON = Json.mapper();
    private static final Map<String, String> HEADERS =
            Map.of("Cache-Control", "no-store", "X-Content-Type-Options", "nosniff");

    private final ClientsTree tree;
    private final String label;

    FleetClientsEndpoint(ClientsTree tree, String label) {
        this.tree = tree;
        this.label = label;
    }

    /**
     * Serves what a local push on this machine reads: the person's own source folder once {@code tandem init} made
     * it, else the checkout's {@code clients/}; labelled as that push labels it, so a push from the fleet writes the
     * same bytes.
     */
    static FleetClientsEndpoint of(HubConfig config) {
        Path own = config.sourceDir();
        if (Files.isDirectory(own)) {
            Path home = config.home();
            String label = (own.startsWith(home) ? "~/" + home.relativize(own) : own.toString()) + "/";
            return new FleetClientsEndpoint(new ClientsTree(own), label);
        }
        Path repo = Path.of(System.getProperty("tandem.repo", ".")).toAbsolutePath();
        return new FleetClientsEndpoint(new ClientsTree(repo.resolve("clients")), "clients/");
    }

    @Override
    public GuardedArea area() {
        return bearerOnly(PATH);
    }

    /**
     * Returns the area of a fleet API under {@code path}: the bearer credential only (a host's key, the person's
     * token), never the dashboard's cookie; answers never cached.
     */
    static GuardedArea bearerOnly(String path) {
        return new GuardedArea(
                p -> p.equals(path) || p.startsWith(path + "/"),
                Set.of(),
                req -> false,
                true,
                HEADERS,
                (req, res, why) -> {
                    res.status(Status.UNAUTHORIZED_401);
                    res.send(why.orElse("unauthorized") + "\n");
                });
    }

    @Override
    public void routes(HttpRouting.Builder routing) {
        routing.get(PATH, this::manifest).get(PATH + "/*", this::file);
    }

    private void manifest(ServerRequest req, ServerResponse res) {
        List<ClientFile> files;
        try {
            files = tree.list();
        } catch (FleetContentException e) {
            refuse(res, Status.CONFLICT_409, e.getMessage());
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("label", label);
        out.put(
                "files",
                files.stream()
                        .map(f -> Map.of("path", f.path(), "sha256", f.sha256(), "size", f.size()))
                        .toList());
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(JSON.writeValueAsBytes(out));
    }

    private void file(ServerRequest req, ServerResponse res) {
        String rel = req.path().path().substring(PATH.length() + 1);
        try {
            byte[] bytes = tree.read(rel);
            res.status(Status.OK_200);
            res.header(HeaderNames.CONTENT_TYPE, "application/octet-stream");
            res.send(bytes);
        } catch (NoSuchFileException e) {
            refuse(res, Status.NOT_FOUND_404, "no file '" + rel + "' in the fleet's clients/");
        } catch (FleetContentException e) {
            refuse(res, Status.CONFLICT_409, e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot serve fleet file " + rel, e);
            refuse(res, Status.INTERNAL_SERVER_ERROR_500, "cannot read '" + rel + "'");
        }
    }

    static void refuse(ServerResponse res, Status status, String why) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        res.send(("tandem: " + why + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
