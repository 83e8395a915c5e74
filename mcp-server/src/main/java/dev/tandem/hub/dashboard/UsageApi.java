package dev.tandem.hub.dashboard;

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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/usage?days=N&engine=E}: the Usage view — the daily report broken down by model, the 5-hour blocks
 * and rate-limit windows, and (for the person's browser only, see {@link Dashboard#byPerson}) the costliest
 * sessions of the range with their folders and the hub tools each called.
 */
final class UsageApi {
    /** Sessions listed at most, costliest first. */
    static final int SESSIONS = 25;

    private final Ledger ledger;
    private final Blocks blocks;
    private final Clock clock;

    UsageApi(Ledger ledger, Blocks blocks, Clock clock) {
        this.ledger = ledger;
        this.blocks = blocks;
        this.clock = clock;
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
        LocalDate today = clock.instant().atZone(ledger.zone()).toLocalDate();
        Query q = new Query(engine, Optional.of(today.minusDays(days - 1L)), Optional.of(today), true);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("daily", ReportJson.of(ledger.daily(q)));
        out.put("blocks", ReportJson.of(blocks.report(q), ledger.zone().getId()));
        if (Dashboard.byPerson(req)) {
            // sessions name folders and session ids: the person's browser sees them, a token holder (an agent) not
            Report sessions = ledger.sessions(new Query(engine, q.since(), q.until(), false));
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
        }
        Replies.ok(res, out);
    }
}
