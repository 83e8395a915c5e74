package dev.tandem.hub.dashboard;

import dev.tandem.core.fleet.AuditEntry;
import dev.tandem.core.fleet.FleetHost;
import dev.tandem.core.fleet.FleetRepository;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/admin/fleet} (the freeze switch, the hosts, the newest audit entries) and {@code POST
 * /api/admin/fleet/freeze} / {@code /thaw}: the dashboard's fleet view. The dashboard's API is the person's alone (its
 * session, or the person's token): an enrolled host's key or an engine's credential never reaches these handlers.
 */
final class FleetAdminApi {
    private final Optional<FleetRepository> fleet;
    private final String actor;

    FleetAdminApi(Optional<FleetRepository> fleet, String hubHost) {
        this.fleet = fleet;
        this.actor = "person@" + hubHost;
    }

    void register(HttpRouting.Builder r) {
        r.get("/api/admin/fleet", this::view)
                .post("/api/admin/fleet/freeze", (req, res) -> freeze(res, true))
                .post("/api/admin/fleet/thaw", (req, res) -> freeze(res, false));
    }

    private void view(ServerRequest req, ServerResponse res) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enabled", fleet.isPresent());
        if (fleet.isPresent()) {
            FleetRepository f = fleet.get();
            out.put("frozen", f.frozen());
            out.put("hosts", f.hosts().stream().map(FleetAdminApi::host).toList());
            out.put("audit", f.audit(50).stream().map(FleetAdminApi::entry).toList());
        }
        Replies.ok(res, out);
    }

    private void freeze(ServerResponse res, boolean frozen) {
        if (fleet.isEmpty()) {
            throw new BadRequestException("this hub has no fleet: the store is not PostgreSQL (docs/fleet.md)");
        }
        fleet.get().freeze(frozen, actor);
        Replies.ok(res, Map.of("frozen", frozen));
    }

    private static Map<String, Object> host(FleetHost h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", h.name());
        m.put("created", h.created().toString());
        m.put("lastSeen", h.lastSeen().map(Object::toString).orElse(""));
        m.put("boundIp", h.boundIp().orElse(""));
        m.put("roaming", h.roaming());
        m.put("revoked", h.revoked().map(Object::toString).orElse(""));
        return m;
    }

    private static Map<String, Object> entry(AuditEntry e) {
        return Map.of(
                "at",
                e.at().toString(),
                "actor",
                e.actor(),
                "action",
                e.action(),
                "host",
                e.host(),
                "detail",
                e.detail());
    }
}
