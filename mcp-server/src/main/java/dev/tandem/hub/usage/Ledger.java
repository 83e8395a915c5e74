package dev.tandem.hub.usage;

import dev.tandem.core.jobs.JobRecord;
import dev.tandem.core.usage.DamagedCount;
import dev.tandem.core.usage.HubCalls;
import dev.tandem.core.usage.Rollup;
import dev.tandem.core.usage.ScanRecord;
import dev.tandem.core.usage.SessionTag;
import dev.tandem.core.usage.TaggedUsage;
import dev.tandem.core.usage.UsageRepository;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The joint ledger's reports: both engines side by side per day, month, session and project, priced with the price
 * table; budgets; and, per session, the hub tools it called. Reports read the 15-minute rollups, never the logs.
 */
public final class Ledger {
    /** The end of "all time" for open ranges. */
    static final Instant FAR = Instant.parse("9999-01-01T00:00:00Z");

    private final UsageRepository repository;
    private final UsageSettings settings;
    private final Clock clock;

    public Ledger(UsageRepository repository, UsageSettings settings, Clock clock) {
        this.repository = repository;
        this.settings = settings;
        this.clock = clock;
    }

    public UsageSettings settings() {
        return settings;
    }

    public ZoneId zone() {
        return settings.zone();
    }

    /** Returns one row per day, both engines side by side. */
    public Report daily(Query q) {
        return report("daily", q, byBucket(b -> day(b).toString()), Map.of(), true);
    }

    /** Returns one row per calendar month. */
    public Report monthly(Query q) {
        return report("monthly", q, byBucket(b -> YearMonth.from(day(b)).toString()), Map.of(), true);
    }

    /** Returns one row per host whose logs were read: the fleet's usage, host by host. */
    public Report hosts(Query q) {
        return report("host", q, Rollup::host, Map.of(), true);
    }

    /** Returns one row per project (the folder the engine ran in), both engines side by side. */
    public Report projects(Query q) {
        return report("project", q, r -> r.project(), Map.of(), false);
    }

    /**
     * Returns one row per engine session, newest activity last, each with its project, first and last activity,
     * and the hub tools it called ({@link UsageRepository#hubCalls}).
     */
    public Report sessions(Query q) {
        Map<String, List<HubCalls>> calls = new HashMap<>();
        Instant[] range = range(q);
        for (HubCalls c : repository.hubCalls(range[0], range[1])) {
            if (q.covers(c.engine())) {
                calls.computeIfAbsent(c.engine() + "/" + c.session(), k -> new ArrayList<>())
                        .add(c);
            }
        }
        return report("session", q, r -> r.engine() + "/" + r.session(), calls, false);
    }

    /**
     * Returns the row key of a rollup by its bucket, worked out once per run of rows with the same bucket (the store
     * gives them in bucket order: thousands of rows, a few per bucket).
     */
    private static Function<Rollup, String> byBucket(Function<Instant, String> key) {
        Instant[] last = {null};
        String[] lastKey = {null};
        return r -> {
            if (!r.bucket().equals(last[0])) {
                last[0] = r.bucket();
                lastKey[0] = key.apply(r.bucket());
            }
            return lastKey[0];
        };
    }

    private LocalDate day(Instant at) {
        return at.atZone(settings.zone()).toLocalDate();
    }

    /** Returns {@code [from, to)} of the query in the ledger's time zone. */
    Instant[] range(Query q) {
        Instant from =
                q.since().map(d -> d.atStartOfDay(settings.zone()).toInstant()).orElse(Instant.EPOCH);
        Instant to = q.until()
                .map(d -> d.plusDays(1).atStartOfDay(settings.zone()).toInstant())
                .orElse(FAR);
        return new Instant[] {from, to};
    }

    /**
     * Builds a report of rows keyed by {@code key}, with these hub calls. {@code perDay}: the rows need no more than
     * days, hosts, engines and models, so they are built from the day sums ({@link UsageRepository#days}), which the
     * hub keeps current instead of reading every rollup row again; else from the 15-minute rollup rows.
     */
    private Report report(
            String kind, Query q, Function<Rollup, String> key, Map<String, List<HubCalls>> calls, boolean perDay) {
        Instant[] range = range(q);
        Map<String, RowBuilder> rows = new TreeMap<>();
        Set<String> unpriced = new TreeSet<>();
        Set<String> hosts = new TreeSet<>();
        Consumer<Rollup> add = r -> {
            if (!q.covers(r.engine()) || !q.coversHost(r.host())) {
                return;
            }
            hosts.add(r.host());
            String k = key.apply(r);
            RowBuilder row = rows.computeIfAbsent(k, RowBuilder::new);
            if (kind.equals("session")) {
                row.session(r);
            }
            row.add(r, amount(r, unpriced), q.byModel());
        };
        if (perDay) {
            repository.days(range[0], range[1], settings.zone(), add);
        } else {
            repository.rollups(range[0], range[1], add);
        }
        calls.forEach((k, c) -> {
            if (q.host().isPresent() && !rows.containsKey(k)) {
                return; // hub calls name no host: with one host chosen, only its own sessions get theirs
            }
            RowBuilder b = rows.computeIfAbsent(k, RowBuilder::new);
            b.hubCalls.addAll(c);
            b.labels.putIfAbsent("engine", c.get(0).engine());
            b.labels.putIfAbsent("session", c.get(0).session());
        });
        List<Row> out = new ArrayList<>();
        RowBuilder total = new RowBuilder("total");
        for (RowBuilder b : rows.values()) {
            Row row = b.build();
            out.add(row);
            row.engines().forEach((e, a) -> total.engines.merge(e, a, Amount::plus));
            row.models()
                    .forEach((e, m) -> m.forEach((model, a) -> total.models
                            .computeIfAbsent(e, x -> new TreeMap<>())
                            .merge(model, a, Amount::plus)));
        }
        if (kind.equals("session")) {
            out.sort(Comparator.comparing((Row r) -> r.labels().getOrDefault("lastActivity", ""))
                    .thenComparing(Row::key));
        } else if (kind.equals("project")) {
            out.sort(Comparator.comparingDouble((Row r) -> -r.total().costUsd()).thenComparing(Row::key));
        }
        return new Report(
                kind,
                q,
                settings.zone(),
                out,
                total.build(),
                unpriced,
                budgets(),
                hosts,
                lastScan(),
                settings.prices().asOf(),
                damaged(q, range[0], range[1]));
    }

    /** Returns how many damaged responses (not counted) the query's engines and host have in {@code [from, to)}. */
    long damaged(Query q, Instant from, Instant to) {
        long n = 0;
        for (DamagedCount d : repository.damaged(from, to)) {
            if (q.covers(d.engine()) && q.coversHost(d.host())) {
                n += d.responses();
            }
        }
        return n;
    }

    /** Prices one rollup row; a model without a price counts its responses as unpriced. */
    Amount amount(Rollup r, Set<String> unpriced) {
        Optional<ModelPrice> price = settings.prices().of(r.model());
        if (price.isEmpty()) {
            unpriced.add(r.model());
            return new Amount(r.responses(), r.tokens(), 0, r.responses());
        }
        return new Amount(r.responses(), r.tokens(), price.get().cost(r.tier(), r.tokens()), 0);
    }

    /** Returns when the logs were last read on any host. */
    public Optional<Instant> lastScan() {
        return repository.scans().stream().map(ScanRecord::at).max(Comparator.naturalOrder());
    }

    /** Returns each budget's state for today and this month, in the ledger's time zone. */
    public List<BudgetStatus> budgets() {
        if (settings.budgets().isEmpty()) {
            return List.of();
        }
        LocalDate today = day(clock.instant());
        YearMonth month = YearMonth.from(today);
        Instant from = month.atDay(1).atStartOfDay(settings.zone()).toInstant();
        Map<String, Amount> todayBy = new HashMap<>();
        Map<String, Amount> monthBy = new HashMap<>();
        Set<String> unpriced = new TreeSet<>();
        Instant end = month.plusMonths(1).atDay(1).atStartOfDay(settings.zone()).toInstant();
        repository.days(from, end, settings.zone(), r -> {
            Amount a = amount(r, unpriced);
            monthBy.merge(r.engine(), a, Amount::plus);
            monthBy.merge("all", a, Amount::plus);
            if (day(r.bucket()).equals(today)) {
                todayBy.merge(r.engine(), a, Amount::plus);
                todayBy.merge("all", a, Amount::plus);
            }
        });
        List<BudgetStatus> out = new ArrayList<>();
        for (Budget b : settings.budgets()) {
            boolean daily = b.period() == Budget.Period.DAY;
            Amount a = (daily ? todayBy : monthBy).getOrDefault(b.engine(), Amount.ZERO);
            out.add(new BudgetStatus(
                    b, daily ? today.toString() : month.toString(), a.costUsd(), a.unpricedResponses()));
        }
        return out;
    }

    /**
     * Returns what the sessions tagged with {@code kind} (jobs, delegations) cost, per tag reference: the hook through
     * which the jobs and delegation features report their cost ({@link UsageRepository#tag}).
     */
    public Map<String, Amount> tagged(String kind) {
        Map<String, Amount> out = new TreeMap<>();
        for (TaggedUsage t : repository.tagged(kind)) {
            out.merge(t.tag().ref(), priced(t), Amount::plus);
        }
        return out;
    }

    /**
     * Returns what a job's engine session cost by the ledger: its session's responses from the job's start to its end
     * (to now while it runs), priced by the ledger's table, as far as the logs have been read; empty before the job
     * has a session or when no response of it has been read yet. Unlike the job's own {@code cost_usd} (what Claude
     * Code reports; Codex reports none), this prices both engines alike, as every other usage report.
     */
    public Optional<Amount> job(JobRecord job) {
        if (job.sessionId().isEmpty()) {
            return Optional.empty();
        }
        Optional<Instant> end = job.status().active() ? Optional.empty() : job.ended();
        SessionTag tag = new SessionTag(
                job.engine(),
                job.sessionId().get(),
                "job",
                job.id(),
                job.started().orElse(job.created()),
                end);
        Amount sum = Amount.ZERO;
        for (TaggedUsage t : repository.usage(tag)) {
            sum = sum.plus(priced(t));
        }
        return sum.responses() == 0 ? Optional.empty() : Optional.of(sum);
    }

    /** Returns the job's ledger cost as its record's {@code ledger} field: {@link ReportJson#amount}, or null. */
    public Map<String, Object> jobView(JobRecord job) {
        return job(job).map(ReportJson::amount).orElse(null);
    }

    private Amount priced(TaggedUsage t) {
        return settings.prices()
                .of(t.model())
                .map(p -> new Amount(t.responses(), t.tokens(), p.cost(t.tier(), t.tokens()), 0))
                .orElse(new Amount(t.responses(), t.tokens(), 0, t.responses()));
    }

    /** Gathers one row. */
    private static final class RowBuilder {
        final String key;
        final Map<String, Amount> engines = new TreeMap<>();
        final Map<String, Map<String, Amount>> models = new TreeMap<>();
        final List<HubCalls> hubCalls = new ArrayList<>();
        final Map<String, String> labels = new LinkedHashMap<>();
        Instant first;
        Instant last;
        final Map<String, Long> projects = new HashMap<>();

        RowBuilder(String key) {
            this.key = key;
        }

        void add(Rollup r, Amount a, boolean byModel) {
            engines.merge(r.engine(), a, Amount::plus);
            if (byModel) {
                models.computeIfAbsent(r.engine(), e -> new TreeMap<>()).merge(r.model(), a, Amount::plus);
            }
        }

        void session(Rollup r) {
            labels.put("engine", r.engine());
            labels.put("session", r.session());
            projects.merge(r.project(), r.responses(), Long::sum);
            first = first == null || r.firstAt().isBefore(first) ? r.firstAt() : first;
            last = last == null || r.lastAt().isAfter(last) ? r.lastAt() : last;
        }

        Row build() {
            if (first != null) {
                // a session that moved between folders is listed under the one it spent most responses in
                labels.put(
                        "project",
                        projects.entrySet().stream()
                                .max(Map.Entry.<String, Long>comparingByValue()
                                        .thenComparing(Map.Entry.comparingByKey()))
                                .orElseThrow()
                                .getKey());
                labels.put("firstActivity", first.toString());
                labels.put("lastActivity", last.toString());
            }
            Amount total = engines.values().stream().reduce(Amount.ZERO, Amount::plus);
            return new Row(key, labels, engines, models, total, hubCalls);
        }
    }
}
