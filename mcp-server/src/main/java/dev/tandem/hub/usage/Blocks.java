package dev.tandem.hub.usage;

import dev.tandem.core.usage.RateLimit;
import dev.tandem.core.usage.Rollup;
import dev.tandem.core.usage.UsageRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code blocks} report: each engine's 5-hour blocks of activity (a block starts at the hour of the first
 * response after the previous block ended, and lasts five hours, as the plans' 5-hour limits do), and the current
 * rate-limit windows. Codex reports its windows itself ({@code rate_limits}: the 5-hour and the weekly window with
 * {@code used_percent}); Claude Code's logs carry none, so its 5-hour window is its current block and its weekly
 * window the last seven days, both without a percentage.
 */
public final class Blocks {
    static final Duration BLOCK = Duration.ofHours(5);
    static final Duration WEEK = Duration.ofDays(7);

    private final Ledger ledger;
    private final UsageRepository repository;
    private final Clock clock;

    public Blocks(Ledger ledger, UsageRepository repository, Clock clock) {
        this.ledger = ledger;
        this.repository = repository;
        this.clock = clock;
    }

    /**
     * A 5-hour block of one engine's activity.
     *
     * @param engine the engine
     * @param start the hour its first response fell in
     * @param end five hours later
     * @param lastActivity its last response
     * @param active whether it is still running now
     * @param amount what it used and cost
     */
    public record Block(
            String engine, Instant start, Instant end, Instant lastActivity, boolean active, Amount amount) {}

    /** Whose usage a window is of: one host's, several hosts' added together, or none (no host is known). */
    public enum HostScope {
        /** One host's: {@link Window#host} names it. */
        ONE,
        /** Several hosts' usage added together (a fleet's report of Claude's windows). */
        SEVERAL,
        /** No host's: nothing in range to count, or a logged window kept without its host. */
        NONE;

        /** Returns the name in the JSON: {@code one}, {@code several}, {@code none}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A rate-limit window now.
     *
     * @param engine the engine
     * @param host the host it is of, present exactly when {@code scope} is {@link HostScope#ONE}: for {@code log} the
     *     host whose logs reported it; for {@code block} and {@code rolling} the one host whose usage the report covers
     * @param scope whose usage it is of: one host's, several hosts' added, or none
     * @param name {@code primary} / {@code secondary} as Codex names them, {@code 5h} / {@code 7d} for Claude
     * @param windowMinutes its length
     * @param usedPercent how much of it the engine said was used, where it says (Codex)
     * @param source {@code log} (the engine's own figure), {@code block} (the current 5-hour block) or
     *     {@code rolling} (the last seven days)
     * @param start when the window began
     * @param resetsAt when it resets, where known
     * @param observedAt when the engine reported it, for {@code log}
     * @param amount what the engine used and cost in it, from the ledger: for {@code log} on its host only
     */
    public record Window(
            String engine,
            Optional<String> host,
            HostScope scope,
            String name,
            int windowMinutes,
            Optional<Double> usedPercent,
            String source,
            Instant start,
            Optional<Instant> resetsAt,
            Optional<Instant> observedAt,
            Amount amount) {
        public Window {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(scope, "scope");
            if (host.isPresent() != (scope == HostScope.ONE)) {
                throw new IllegalArgumentException("a window names its host exactly when it is of one host");
            }
            Objects.requireNonNull(usedPercent, "usedPercent");
            Objects.requireNonNull(resetsAt, "resetsAt");
            Objects.requireNonNull(observedAt, "observedAt");
        }
    }

    /**
     * The report.
     *
     * @param query what it covers
     * @param blocks the blocks in range, oldest first
     * @param windows the current windows per engine
     * @param unpricedModels models without a price
     * @param hosts the hosts whose usage or rate-limit windows it covers: one on a single machine, several in a
     *     fleet's report
     * @param damagedResponses responses in the blocks' range the logs name but whose lines are damaged: in no block,
     *     and said so, as the other reports do
     */
    public record BlocksReport(
            Query query,
            List<Block> blocks,
            List<Window> windows,
            Set<String> unpricedModels,
            Set<String> hosts,
            long damagedResponses) {
        public BlocksReport {
            blocks = List.copyOf(blocks);
            windows = List.copyOf(windows);
            unpricedModels = Set.copyOf(unpricedModels);
            hosts = Set.copyOf(hosts);
        }
    }

    /** Returns the blocks of the query's range (the last seven days when it has no start) and the windows now. */
    public BlocksReport report(Query q) {
        Instant now = clock.instant();
        Instant[] range = ledger.range(q);
        Instant from = q.since().isPresent() ? range[0] : now.minus(WEEK);
        Set<String> unpriced = new HashSet<>();
        Map<String, List<Rollup>> byEngine = new TreeMap<>();
        Set<String> hosts = new HashSet<>();
        // a week before the range as well, so a block that began before it is whole and the windows are filled
        repository.rollups(from.minus(WEEK), range[1], r -> {
            if (q.covers(r.engine()) && q.coversHost(r.host())) {
                byEngine.computeIfAbsent(r.engine(), e -> new ArrayList<>()).add(r);
                hosts.add(r.host());
            }
        });
        List<Block> blocks = new ArrayList<>();
        List<Window> windows = new ArrayList<>();
        // rate-limit windows as each host's logs reported them: the chosen host's only when one is chosen
        List<RateLimit> limits = repository.rateLimits().stream()
                .filter(l -> q.coversHost(l.host()) && q.covers(l.engine()))
                .toList();
        Set<String> covered = new HashSet<>(hosts);
        limits.forEach(l -> covered.add(l.host()));
        // whose usage a window counted from the ledger is: the chosen host's, the only host's, several hosts', or
        // none (nothing in range)
        Optional<String> counted =
                q.host().or(() -> hosts.size() == 1 ? hosts.stream().findFirst() : Optional.empty());
        HostScope countedScope =
                counted.isPresent() ? HostScope.ONE : hosts.isEmpty() ? HostScope.NONE : HostScope.SEVERAL;
        for (String engine : List.of("claude", "codex")) {
            if (!q.covers(engine)) {
                continue;
            }
            List<Rollup> rows = byEngine.getOrDefault(engine, List.of());
            List<Block> mine = blocks(engine, rows, now, unpriced);
            mine.stream().filter(b -> b.end().isAfter(from)).forEach(blocks::add);
            List<RateLimit> logged =
                    limits.stream().filter(l -> l.engine().equals(engine)).toList();
            if (!logged.isEmpty()) {
                for (RateLimit l : logged) {
                    // the engine's figure is of the host whose logs reported it: so is the usage counted beside it
                    List<Rollup> own =
                            rows.stream().filter(r -> r.host().equals(l.host())).toList();
                    Instant start = l.resetsAt()
                            .map(r -> r.minus(Duration.ofMinutes(l.windowMinutes())))
                            .orElse(now.minus(Duration.ofMinutes(l.windowMinutes())));
                    Optional<String> host = Optional.of(l.host()).filter(h -> !h.isEmpty());
                    windows.add(new Window(
                            engine,
                            host,
                            host.isPresent() ? HostScope.ONE : HostScope.NONE,
                            l.name(),
                            l.windowMinutes(),
                            Optional.of(l.usedPercent()),
                            "log",
                            start,
                            l.resetsAt(),
                            Optional.of(l.observedAt()),
                            sum(own, start, now, unpriced)));
                }
            } else {
                Optional<Block> active = mine.stream().filter(Block::active).findFirst();
                Instant start = active.map(Block::start).orElse(now);
                windows.add(new Window(
                        engine,
                        counted,
                        countedScope,
                        "5h",
                        (int) BLOCK.toMinutes(),
                        Optional.empty(),
                        "block",
                        start,
                        active.map(Block::end),
                        Optional.empty(),
                        active.map(Block::amount).orElse(Amount.ZERO)));
                Instant weekStart = now.minus(WEEK);
                windows.add(new Window(
                        engine,
                        counted,
                        countedScope,
                        "7d",
                        (int) WEEK.toMinutes(),
                        Optional.empty(),
                        "rolling",
                        weekStart,
                        Optional.empty(),
                        Optional.empty(),
                        sum(rows, weekStart, now, unpriced)));
            }
        }
        blocks.sort(Comparator.comparing(Block::start).thenComparing(Block::engine));
        // the responses of the blocks' range left out as damaged, as the other reports count those of their days
        return new BlocksReport(q, blocks, windows, unpriced, covered, ledger.damaged(q, from, range[1]));
    }

    private List<Block> blocks(String engine, List<Rollup> rows, Instant now, Set<String> unpriced) {
        List<Rollup> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparing(Rollup::firstAt));
        List<Block> out = new ArrayList<>();
        Instant start = null;
        Instant last = null;
        Amount amount = Amount.ZERO;
        for (Rollup r : sorted) {
            boolean gap = last != null && Duration.between(last, r.firstAt()).compareTo(BLOCK) > 0;
            if (start == null || !r.firstAt().isBefore(start.plus(BLOCK)) || gap) {
                if (start != null) {
                    out.add(block(engine, start, last, amount, now));
                }
                start = r.firstAt().truncatedTo(ChronoUnit.HOURS);
                amount = Amount.ZERO;
                last = null;
            }
            amount = amount.plus(ledger.amount(r, unpriced));
            last = last == null || r.lastAt().isAfter(last) ? r.lastAt() : last;
        }
        if (start != null) {
            out.add(block(engine, start, last, amount, now));
        }
        return out;
    }

    private static Block block(String engine, Instant start, Instant last, Amount amount, Instant now) {
        Instant end = start.plus(BLOCK);
        boolean active = now.isBefore(end) && !now.isBefore(start);
        return new Block(engine, start, end, last, active, amount);
    }

    private Amount sum(List<Rollup> rows, Instant from, Instant to, Set<String> unpriced) {
        Amount a = Amount.ZERO;
        for (Rollup r : rows) {
            if (r.bucket().plusMillis(Rollup.BUCKET_MILLIS).isAfter(from)
                    && r.bucket().isBefore(to)) {
                a = a.plus(ledger.amount(r, unpriced));
            }
        }
        return a;
    }
}
