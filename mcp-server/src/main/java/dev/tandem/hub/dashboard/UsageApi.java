package dev.tandem.hub.dashboard;

import dev.tandem.core.jobs.JobRecord;
import dev.tandem.hub.jobs.JobService;
import dev.tandem.hub.usage.Amount;
import dev.tandem.hub.usage.Blocks;
import dev.tandem.hub.usage.Ledger;
import dev.tandem.hub.usage.Query;
import dev.tandem.hub.usage.Report;
import dev.tandem.hub.usage.ReportJson;
import dev.tandem.hub.usage.Row;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/usage?days=N&engine=E&host=H}: the Usage view — the daily report broken down by model (of one host
 * with {@code host}, else the fleet's totals), the fleet's usage host by host, the 5-hour blocks and rate-limit
 * windows, and (for the person's browser only, see {@link Dashboard#byPerson}) the costliest
 * sessions of the range with their folders and the hub tools each called.
 */
final class UsageApi {
    /** Sessions listed at most, costliest first. */
    static final int SESSIONS = 25;

    /** Newest jobs looked at for their ledger cost. */
    static final int JOBS = 50;

    private final Ledger ledger;
    private final Blocks blocks;
    private final Clock clock;
    private final Optional<JobService> jobs;

    UsageApi(Ledger ledger, Blocks blocks, Clock clock, Optional<JobService> jobs) {
        this.ledger = ledger;
        this.blocks = blocks;
        this.clock = clock;
        this.jobs = jobs;
    }

    void register(HttpRouting.Builder r) {
        r.get("/api/usage", this::usage);
    }

    private void usage(ServerRequest req, ServerResponse res) {
        int days = Params.whole(req, "days", 30, 1, 366);
        String engine = Params.text(req, "engine").orElse("all");
        if (!Query.ENGINES.contains(engine)) {
            throw new BadRequestException("engine must be codex, claude or all, got '" + engine + "'");
        }
        Optional<String> host = Params.text(req, "host");
        LocalDate today = clock.instant().atZone(ledger.zone()).toLocalDate();
        Optional<LocalDate> since = Optional.of(today.minusDays(days - 1L));
        Query q = new Query(engine, since, Optional.of(today), true, host);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("daily", ReportJson.of(ledger.daily(q)));
        // every host's row, whichever is chosen: the picker shows each host's share of the fleet's totals
        out.put("hosts", ReportJson.of(ledger.hosts(new Query(engine, since, Optional.of(today), false))));
        out.put("blocks", ReportJson.of(blocks.report(q), ledger.zone().getId()));
        if (Dashboard.byPerson(req)) {
            // sessions name folders and session ids: the person's browser sees them, a token holder (an agent) not
            Report sessions = ledger.sessions(new Query(engine, q.since(), q.until(), false, host));
            List<Row> costliest = new ArrayList<>(sessions.rows());
            costliest.sort(Comparator.comparingDouble((Row r) -> -r.total().costUsd())
                    .thenComparing(Comparator.comparingLong(
                            (Row r) -> -r.total().tokens().total())));
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("count", sessions.rows().size());
            s.put(
                    "rows",
                    costliest.stream().limit(SESSIONS).map(ReportJson::row).toList());
            out.put("sessions", s);
            Instant from = since.orElseThrow().atStartOfDay(ledger.zone()).toInstant();
            out.put("jobs", jobs.map(j -> jobRows(j, from, host)).orElse(List.of()));
        }
        Replies.ok(res, out);
    }

    /** The newest jobs that ran in the range, with what their sessions cost by the ledger (jobs it has read). */
    private List<Map<String, Object>> jobRows(JobService service, Instant since, Optional<String> host) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (JobRecord j : service.list(JOBS, List.of(), host)) {
            if (j.ended().isPresent() && j.ended().get().isBefore(since)) {
                continue;
            }
            Optional<Amount> cost = ledger.job(j);
            if (cost.isEmpty()) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", j.id());
            m.put("engine", j.engine());
            m.put("host", j.host());
            m.put("status", j.status().wireName());
            m.put("created", j.created().toString());
            m.put("session", j.sessionId().orElseThrow());
            m.put("ledger", ReportJson.amount(cost.get()));
            out.add(m);
        }
        return out;
    }
}
