package dev.tandem.hub.dashboard;

import dev.tandem.core.store.Store;
import dev.tandem.core.telemetry.CommandStats;
import dev.tandem.core.telemetry.Recorded;
import dev.tandem.core.telemetry.RequestEvent;
import dev.tandem.hub.telemetry.Overview;
import dev.tandem.hub.telemetry.Stats;
import dev.tandem.hub.telemetry.TelemetryRecorder;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code GET /api/overview}, {@code /api/errors} and {@code /api/commands}: what the agents did. */
final class TelemetryApi {
    /** How long a read waits for the writer to store what was recorded before it. */
    private static final Duration FLUSH_WAIT = Duration.ofSeconds(2);

    private final Store store;
    private final Optional<TelemetryRecorder> recorder;
    private final Clock clock;

    TelemetryApi(Store store, Optional<TelemetryRecorder> recorder, Clock clock) {
        this.store = store;
        this.recorder = recorder;
        this.clock = clock;
    }

    void register(HttpRouting.Builder r) {
        r.get("/api/overview", this::overview).get("/api/errors", this::errors).get("/api/commands", this::commands);
    }

    private void overview(ServerRequest req, ServerResponse res) {
        int hours = Params.whole(req, "hours", 24, 1, 720);
        recorder.ifPresent(r -> r.flush(FLUSH_WAIT));
        long dropped = recorder.map(TelemetryRecorder::dropped).orElse(0L);
        Overview o = Overview.compute(store.telemetry(), clock.instant(), hours, dropped);
        Map<String, Object> out = new LinkedHashMap<>();
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
        Replies.ok(res, out);
    }

    private void errors(ServerRequest req, ServerResponse res) {
        int limit = Params.whole(req, "limit", 50, 1, 500);
        recorder.ifPresent(r -> r.flush(FLUSH_WAIT));
        // ?host=NAME: only the errors recorded on that host, among the newest `limit`
        Optional<String> host = Params.text(req, "host");
        List<Map<String, Object>> rows = store.telemetry().errors(limit).stream()
                .filter(r -> host.isEmpty() || host.get().equals(r.host()))
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
        row.put("target", e.target().orElse(null));
        row.put("outcome", e.outcome().wireName());
        // the column holds "CLASS: reason" (older rows: the class alone)
        String[] kind = e.errorClass().map(c -> c.split(": ", 2)).orElse(new String[0]);
        row.put("errorClass", kind.length > 0 ? kind[0] : null);
        row.put("reason", kind.length > 1 ? kind[1] : null);
        row.put("durationMs", e.durationMicros() / 1000.0);
        return row;
    }

    private void commands(ServerRequest req, ServerResponse res) {
        List<Map<String, Object>> rows =
                store.commandLog().stats().stream().map(TelemetryApi::command).toList();
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
