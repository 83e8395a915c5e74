package dev.tandem.hub.dashboard;

import dev.tandem.core.fleet.FleetHost;
import dev.tandem.core.store.Store;
import dev.tandem.core.telemetry.HostCalls;
import dev.tandem.hub.jobs.JobService;
import dev.tandem.hub.usage.Ledger;
import dev.tandem.hub.usage.Query;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code GET /api/hosts}: the hosts the dashboard can be narrowed to — this hub's own, every enrolled one, and every
 * host that made a request, ran a job or had its usage read in the last {@value #DAYS} days — and whether to show the
 * host picker: always on a shared (PostgreSQL) store, whose hubs and enrolled machines are a fleet, else only when
 * the store holds more than one host's rows (a SQLite file copied from another machine, or a migrated one).
 */
final class HostsApi {
    /** How far back rows count towards the list. */
    static final int DAYS = 30;

    private final Store store;
    private final String self;
    private final Ledger ledger;
    private final Optional<JobService> jobs;
    private final Clock clock;

    HostsApi(Store store, String self, Ledger ledger, Optional<JobService> jobs, Clock clock) {
        this.store = store;
        this.self = self;
        this.ledger = ledger;
        this.jobs = jobs;
        this.clock = clock;
    }

    void register(HttpRouting.Builder r) {
        r.get("/api/hosts", this::hosts);
    }

    private void hosts(ServerRequest req, ServerResponse res) {
        Instant now = clock.instant();
        Instant from = now.minus(Duration.ofDays(DAYS));
        Set<String> hosts = new TreeSet<>();
        hosts.add(self);
        store.fleet()
                .ifPresent(f -> f.hosts().stream()
                        .filter(h -> h.revoked().isEmpty())
                        .map(FleetHost::name)
                        .forEach(hosts::add));
        store.telemetry().perHost(from, now.plusMillis(1)).stream()
                .map(HostCalls::host)
                .forEach(hosts::add);
        jobs.ifPresent(j -> hosts.addAll(j.countsByHost(from).keySet()));
        LocalDate today = now.atZone(ledger.zone()).toLocalDate();
        hosts.addAll(ledger.hosts(new Query("all", Optional.of(today.minusDays(DAYS)), Optional.of(today), false))
                .hosts());
        boolean shared = store.fleet().isPresent();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("self", self);
        out.put("shared", shared);
        out.put("picker", shared || hosts.size() > 1);
        out.put("hosts", List.copyOf(hosts));
        Replies.ok(res, out);
    }
}
