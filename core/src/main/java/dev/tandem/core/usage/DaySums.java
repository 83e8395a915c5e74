package dev.tandem.core.usage;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rollup rows summed per day of one time zone, host, engine, model and price tier ({@link UsageRepository#days}).
 * Counts are whole numbers summed exactly (held at {@link Long#MAX_VALUE} rather than wrapping), so the sums do not
 * depend on the order rows are added in.
 */
public final class DaySums {
    private final ZoneId zone;
    private final Map<LocalDate, Map<Key, Sum>> days = new TreeMap<>();
    /** The day of the last bucket added, worked out once per run of rows with the same bucket. */
    private Instant lastBucket;

    private LocalDate lastDay;

    public DaySums(ZoneId zone) {
        this.zone = zone;
    }

    private record Key(String host, String engine, String model, int tier) {}

    private static final class Sum {
        long responses;
        long input;
        long cacheRead;
        long cacheWrite5m;
        long cacheWrite1h;
        long output;
        long reasoning;
        Instant first;
        Instant last;
    }

    /** Adds one rollup row to the sums of the day its bucket starts on. */
    public void add(Rollup r) {
        if (!r.bucket().equals(lastBucket)) {
            lastBucket = r.bucket();
            lastDay = r.bucket().atZone(zone).toLocalDate();
        }
        Sum s = days.computeIfAbsent(lastDay, d -> new HashMap<>())
                .computeIfAbsent(new Key(r.host(), r.engine(), r.model(), r.tier()), k -> new Sum());
        Tokens t = r.tokens();
        s.responses = plus(s.responses, r.responses());
        s.input = plus(s.input, t.input());
        s.cacheRead = plus(s.cacheRead, t.cacheRead());
        s.cacheWrite5m = plus(s.cacheWrite5m, t.cacheWrite5m());
        s.cacheWrite1h = plus(s.cacheWrite1h, t.cacheWrite1h());
        s.output = plus(s.output, t.output());
        s.reasoning = plus(s.reasoning, t.reasoning());
        s.first = s.first == null || r.firstAt().isBefore(s.first) ? r.firstAt() : s.first;
        s.last = s.last == null || r.lastAt().isAfter(s.last) ? r.lastAt() : s.last;
    }

    private static long plus(long a, long b) {
        return Tokens.sum(a, b); // held at Long.MAX_VALUE, as Tokens.plus
    }

    /** Returns the days summed, oldest first, each with its rows in {@link UsageRepository#BY_WHAT_IT_SAYS} order. */
    public Map<LocalDate, List<Rollup>> byDay() {
        Map<LocalDate, List<Rollup>> out = new TreeMap<>();
        days.forEach((day, sums) -> {
            Instant start = day.atStartOfDay(zone).toInstant();
            List<Rollup> rows = new ArrayList<>(sums.size());
            sums.forEach((k, s) -> rows.add(new Rollup(
                    start,
                    k.host(),
                    k.engine(),
                    "",
                    "",
                    k.model(),
                    k.tier(),
                    s.responses,
                    new Tokens(s.input, s.cacheRead, s.cacheWrite5m, s.cacheWrite1h, s.output, s.reasoning),
                    s.first,
                    s.last)));
            rows.sort(UsageRepository.BY_WHAT_IT_SAYS);
            out.put(day, List.copyOf(rows));
        });
        return out;
    }

    /** Returns every row summed, days oldest first. */
    public List<Rollup> rows() {
        List<Rollup> out = new ArrayList<>();
        byDay().values().forEach(out::addAll);
        return out;
    }
}
