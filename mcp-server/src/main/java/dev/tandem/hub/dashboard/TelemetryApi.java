package dev.tandem.hub.dashboard;

import dev.tandem.core.store.Store;
import dev.tandem.core.telemetry.CommandStats;
import dev.tandem.core.telemetry.HostCalls;
import dev.tandem.core.telemetry.Recorded;
import dev.tandem.core.telemetry.RequestEvent;
import dev.tandem.hub.jobs.JobService;
import dev.tandem.hub.telemetry.Overview;
import dev.tandem.hub.telemetry.Stats;
import dev.tandem.hub.telemetry.TelemetryRecorder;
import dev.tandem.hub.telemetry.TelemetryText;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code GET /api/overview}, {@code /api/errors} and {@code /api/commands}: what the agents did. Each takes
 * {@code host=NAME} (only what that host's requests did, chosen in the query); without it they are the
 * fleet's totals, and the overview's {@code hosts} gives each host's calls, errors and jobs.
 */
final class TelemetryApi {
    /** How long a read waits for the writer to store what was recorded before it. */
    private static final Duration FLUSH_WAIT = Duration.ofSeconds(2);

    private final Store store;
    private final Optional<TelemetryRecorder> recorder;
    private final Clock clock;
    private final Optional<JobService> jobs;

    TelemetryApi(Store store, Optional<TelemetryRecorder> recorder, Clock clock, Optional<JobService> jobs) {
        this.store = store;
        this.recorder = recorder;
        this.clock = clock;
        this.jobs = jobs;
    }

    void register(HttpRouting.Builder r) {
        r.get("/api/overview", this::overview).get("/api/errors", this::errors).get("/api/commands", this::commands);
    }

    private void overview(ServerRequest req, ServerResponse res) {
        int hours = Params.whole(req, "hours", 24, 1, 720);
        recorder.ifPresent(r -> r.flush(FLUSH_WAIT));
        long dropped = recorder.map(TelemetryRecorder::dropped).orElse(0L);
        Optional<String> host = Params.text(req, "host");
        Overview o = Overview.compute(store.telemetry(), clock.instant(), hours, dropped, host);
        Map<String, Object> out = new LinkedHashMap<>();
        host.ifPresent(h -> out.put("host", h));
        out.put("from", o.from().toString());
        out.put("to", o.to().toString());
        out.put("hours", o.hours());
        out.put("bucketMinutes", o.bucket().toMinutes());
        out.put("dropped", o.dropped());
        out.put(
                "engines",
                o.engines().stream()
                        .map(e -> {
                            Map<String, Object> row = stats(head("engine", e.engine()), e.stats(), true);
                            row.put("setupCalls", e.setup().calls());
                            row.put("setupErrors", e.setup().errors());
                            return row;
                        })
                        .toList());
        out.put(
                "tools",
                o.tools().stream()
                        .map(t -> {
                            Map<String, Object> row = head("engine", t.engine());
                            row.put("method", t.method());
                            row.put("target", t.target().orElse(null));
                            row.put("setup", Overview.isSetup(t.method()));
                            return stats(row, t.stats(), true);
                        })
                        .toList());
        out.put(
                "series",
                o.series().stream()
                        .map(p -> {
                            Map<String, Object> row = head("at", p.at().toString());
                            row.put("engine", p.engine());
                            return stats(row, p.stats(), false);
                        })
                        .toList());
        out.put("hosts", hosts(o.from(), o.to().plusMillis(1)));
        Replies.ok(res, out);
    }

    /** Every host's calls, errors and jobs in {@code [from, to)}, by name: the fleet's totals, host by host. */
    private List<Map<String, Object>> hosts(Instant from, Instant to) {
        Map<String, Map<String, Object>> rows = new TreeMap<>();
        for (HostCalls c : store.telemetry().perHost(from, to)) {
            Map<String, Object> row = hostRow(rows, c.host());
            row.put("calls", c.calls());
            row.put("errors", c.errors());
        }
        jobs.ifPresent(
                j -> j.countsByHost(from).forEach((h, n) -> hostRow(rows, h).put("jobs", n)));
        return List.copyOf(rows.values());
    }

    private static Map<String, Object> hostRow(Map<String, Map<String, Object>> rows, String host) {
        return rows.computeIfAbsent(host, h -> {
            Map<String, Object> row = head("host", h);
            row.put("calls", 0L);
            row.put("errors", 0L);
            row.put("jobs", 0L);
            return row;
        });
    }

    private void errors(ServerRequest req, ServerResponse res) {
        int limit = Params.whole(req, "limit", 50, 1, 500);
        recorder.ifPresent(r -> r.flush(FLUSH_WAIT));
        // ?host=NAME: the newest `limit` errors recorded on that host
        Optional<String> host = Params.text(req, "host");
        List<Map<String, Object>> rows = store.telemetry().errors(limit, host).stream()
                .map(TelemetryApi::error)
                .toList();
        Replies.ok(res, Map.of("errors", rows));
    }

    private static Map<String, Object> error(Recorded r) {
        RequestEvent e = r.event();
        Map<String, Object> row = head("at", e.at().toString());
        row.put("engine", e.engine());
        row.put("credential", e.credential().isEmpty() ? null : e.credential());
        row.put("clientName", e.clientName());
        row.put("clientVersion", e.clientVersion());
        row.put("host", r.host());
        row.put("method", e.method());
        // a row stored before targets were bounded may hold megabytes
        row.put(
                "target",
                e.target()
                        .map(t -> TelemetryText.bounded(t, TelemetryText.MAX_TARGET_CHARS))
                        .orElse(null));
        row.put("outcome", e.outcome().wireName());
        // the column holds "CLASS: reason" (older rows: the class alone)
        String[] kind = e.errorClass().map(c -> c.split(": ", 2)).orElse(new String[0]);
        row.put("errorClass", kind.length > 0 ? kind[0] : null);
        row.put("reason", kind.length > 1 ? kind[1] : null);
        row.put("durationMs", e.durationMicros() / 1000.0);
        return row;
    }

    private void commands(ServerRequest req, ServerResponse res) {
        List<Map<String, Object>> rows = store.commandLog().stats(Params.text(req, "host")).stream()
                .map(TelemetryApi::command)
                .toList();
        Replies.ok(res, Map.of("commands", rows));
    }

    private static Map<String, Object> command(CommandStats c) {
        Map<String, Object> row = head("slug", c.slug());
        row.put("engine", c.engine());
        row.put("uses", c.uses());
        row.put("lastAt", c.lastAt().toString());
        return row;
    }

    private static Map<String, Object> head(String key, Object value) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put(key, value);
        return row;
    }

    private static Map<String, Object> stats(Map<String, Object> row, Stats s, boolean p99) {
        row.put("calls", s.calls());
        row.put("errors", s.errors());
        row.put("p50", s.p50());
        row.put("p95", s.p95());
        if (p99) {
            row.put("p99", s.p99());
        }
        return row;
    }
}
