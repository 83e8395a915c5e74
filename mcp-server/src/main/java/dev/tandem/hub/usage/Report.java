package dev.tandem.hub.usage;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A usage report: rows by day, month, session or project, and their totals.
 *
 * @param kind {@code daily}, {@code monthly}, {@code session}, {@code project} or a row per machine
 * @param query what it covers
 * @param zone the time zone of its days and months
 * @param rows the rows, oldest (or largest) first
 * @param totals every row together
 * @param unpricedModels models that answered but have no price
 * @param budgets the budgets' state today and this month
 * @param hosts the machines whose logs the rows were read from
 * @param scannedAt when the logs were last read (by the hub or {@code tandem usage}), if ever
 * @param pricesAsOf the date of the shipped price table
 * @param damagedResponses responses in the range the logs name but whose lines give a token count or model name no
 *     response has: not in the rows, and said so, as unpriced ones are
 */
public record Report(
        String kind,
        Query query,
        ZoneId zone,
        List<Row> rows,
        Row totals,
        Set<String> unpricedModels,
        List<BudgetStatus> budgets,
        Set<String> hosts,
        Optional<Instant> scannedAt,
        String pricesAsOf,
        long damagedResponses) {
    public Report {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(totals, "totals");
        Objects.requireNonNull(scannedAt, "scannedAt");
        Objects.requireNonNull(pricesAsOf, "pricesAsOf");
        rows = List.copyOf(rows);
        unpricedModels = Set.copyOf(unpricedModels);
        budgets = List.copyOf(budgets);
        hosts = Set.copyOf(hosts);
    }
}
