package dev.tandem.hub.telemetry;

import dev.tandem.core.telemetry.TelemetryRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the dashboard's overview shows for a time window: per engine, per (engine, method, target), and per time
 * bucket and engine. The protocol's set-up requests ({@link #isSetup}: {@code initialize}, the {@code * /list}
 * calls, {@code ping}, notifications) are counted apart: an engine's stats and the series hold the work (tool
 * calls, resource reads, prompts), the set-up has its own count per engine; the tools table lists both. The tools
 * table holds at most {@value #MAX_TOOL_ROWS} (engine, method, target) rows, the first seen; the calls of any other
 * are summed in one row per engine whose method and target are {@value #OTHER}, so the overview does not grow with the
 * names an agent sends.
 *
 * @param from start of the window
 * @param to end of the window
 * @param hours the window's length
 * @param bucket the series' bucket size
 * @param dropped events dropped since the hub started because the queue was full
 * @param engines per engine, most calls first
 * @param tools per engine, method and target, most calls first
 * @param series per bucket (oldest first) and engine
 */
public record Overview(
        Instant from,
        Instant to,
        int hours,
        Duration bucket,
        long dropped,
        List<EngineRow> engines,
        List<ToolRow> tools,
        List<SeriesPoint> series) {

    /**
     * One engine's stats: its work (every request but the set-up) and, apart, its protocol set-up requests.
     */
    public record EngineRow(String engine, Stats stats, Stats setup) {}

    /** The stats of one engine's calls of one method and target. */
    public record ToolRow(String engine, String method, Optional<String> target, Stats stats) {}

    /** One engine's stats in the bucket starting at {@code at}. */
    public record SeriesPoint(Instant at, String engine, Stats stats) {}

    /** The most (engine, method, target) rows the tools table holds before the rest are summed as {@link #OTHER}. */
    public static final int MAX_TOOL_ROWS = 500;

    /** The method and target of the row that sums an engine's calls beyond {@link #MAX_TOOL_ROWS} rows. */
    public static final String OTHER = "(other)";

    private record ToolKey(String engine, String method, Optional<String> target) {}

    private record BucketKey(Instant at, String engine) {}

    /** Returns the bucket size for a window: 5 minutes up to 6 hours, 1 hour up to 7 days, else 1 day. */
    public static Duration bucketFor(int hours) {
        if (hours <= 6) {
            return Duration.ofMinutes(5);
        }
        return hours <= 168 ? Duration.ofHours(1) : Duration.ofDays(1);
    }

    /**
     * Returns whether {@code method} is protocol set-up rather than work: {@code initialize}, {@code ping}, a
     * notification, or a list ({@code tools/list}, {@code resources/list}, {@code resources/templates/list},
     * {@code prompts/list}, …).
     */
    public static boolean isSetup(String method) {
        return method.equals("initialize")
                || method.equals("ping")
                || method.startsWith("notifications/")
                || method.endsWith("/list");
    }

    /** Computes the overview of the requests recorded in the {@code hours} before {@code to}. */
    public static Overview compute(TelemetryRepository store, Instant to, int hours, long dropped) {
        return compute(store, to, hours, dropped, Optional.empty());
    }

    /**
     * Computes the overview of the requests recorded on {@code host} (every host, the fleet's totals, when empty) in
     * the {@code hours} before {@code to}.
     */
    public static Overview compute(
            TelemetryRepository store, Instant to, int hours, long dropped, Optional<String> host) {
        Instant from = to.minus(Duration.ofHours(hours));
        Duration bucket = bucketFor(hours);
        long size = bucket.toMillis();
        Map<String, Stats.Builder> byEngine = new TreeMap<>();
        Map<String, Stats.Builder> setupByEngine = new TreeMap<>();
        Map<ToolKey, Stats.Builder> byTool = new LinkedHashMap<>();
        Map<BucketKey, Stats.Builder> byBucket =
                new TreeMap<>(Comparator.comparing(BucketKey::at).thenComparing(BucketKey::engine));
        store.samples(from, to.plusMillis(1), host, s -> {
            boolean setup = isSetup(s.method());
            (setup ? setupByEngine : byEngine)
                    .computeIfAbsent(s.engine(), k -> new Stats.Builder())
                    .add(s.durationMicros(), s.ok());
            toolRow(byTool, s.engine(), s.method(), s.target()).add(s.durationMicros(), s.ok());
            if (setup) {
                return;
            }
            Instant start = Instant.ofEpochMilli(Math.floorDiv(s.atMillis(), size) * size);
            byBucket.computeIfAbsent(new BucketKey(start, s.engine()), k -> new Stats.Builder())
                    .add(s.durationMicros(), s.ok());
        });
        List<EngineRow> engines = new ArrayList<>();
        Stats none = new Stats.Builder().build();
        java.util.Set<String> names = new java.util.TreeSet<>(byEngine.keySet());
        names.addAll(setupByEngine.keySet());
        for (String engine : names) {
            engines.add(new EngineRow(
                    engine,
                    byEngine.containsKey(engine) ? byEngine.get(engine).build() : none,
                    setupByEngine.containsKey(engine)
                            ? setupByEngine.get(engine).build()
                            : none));
        }
        engines.sort(Comparator.comparingLong((EngineRow r) -> r.stats().calls())
                .thenComparingLong(r -> r.setup().calls())
                .reversed());
        List<ToolRow> tools = new ArrayList<>();
        byTool.forEach((k, b) -> tools.add(new ToolRow(k.engine(), k.method(), k.target(), b.build())));
        tools.sort(Comparator.comparingLong((ToolRow r) -> r.stats().calls()).reversed());
        List<SeriesPoint> series = new ArrayList<>();
        byBucket.forEach((k, b) -> series.add(new SeriesPoint(k.at(), k.engine(), b.build())));
        return new Overview(from, to, hours, bucket, dropped, engines, tools, series);
    }

    /**
     * Returns the builder of the row a call counts in: its own while the table has room, else its engine's {@link
     * #OTHER} row. A target is grouped by its first {@value TelemetryText#MAX_TARGET_CHARS}
     * characters, escaped (rows stored before targets were bounded may be longer).
     */
    private static Stats.Builder toolRow(
            Map<ToolKey, Stats.Builder> byTool, String engine, String method, Optional<String> target) {
        ToolKey key = new ToolKey(
                engine,
                TelemetryText.bounded(method, TelemetryText.MAX_TARGET_CHARS),
                target.map(t -> TelemetryText.bounded(t, TelemetryText.MAX_TARGET_CHARS)));
        Stats.Builder row = byTool.get(key);
        if (row != null) {
            return row;
        }
        if (byTool.size() >= MAX_TOOL_ROWS) {
            key = new ToolKey(engine, OTHER, Optional.of(OTHER));
        }
        return byTool.computeIfAbsent(key, k -> new Stats.Builder());
    }
}
