package dev.tandem.hub.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Prints the benchmark tables (medians over runs and rounds), the ratios of the first target to the second, and
 * whether the first meets the hub's goals: start &lt; 1 s; throughput &ge; 3&times; the second at every session
 * count; p99 &lt; 5 ms at the largest session count.
 */
final class Report {
    private final PrintStream out;
    private final List<Target> targets;
    private final Map<Target, McpLoad.ColdStarts> cold;
    private final Map<Target, Map<Integer, List<ClosedLoop.Result>>> load;

    Report(
            PrintStream out,
            List<Target> targets,
            Map<Target, McpLoad.ColdStarts> cold,
            Map<Target, Map<Integer, List<ClosedLoop.Result>>> load) {
        this.out = out;
        this.targets = targets;
        this.cold = cold;
        this.load = load;
    }

    void print(Duration warmup, Duration window, int rounds) {
        out.println();
        if (!cold.isEmpty()) {
            printColdStarts();
        }
        if (!load.isEmpty()) {
            out.printf(
                    Locale.ROOT,
                    "tools/call, closed loop: medians of %d rounds of %d s each (after %d s warm-up per server)%n",
                    rounds,
                    window.toSeconds(),
                    warmup.toSeconds());
            out.printf(
                    Locale.ROOT,
                    "| %-12s | %-10s | %8s | %8s | %8s | %8s | %12s | %6s |%n",
                    "server",
                    "tool",
                    "sessions",
                    "calls/s",
                    "p50 ms",
                    "p99 ms",
                    "CPU us/call",
                    "errors");
            out.println(
                    "| ------------ | ---------- | -------: | -------: | -------: | -------: | -----------: | -----: |");
            for (Target t : targets) {
                for (Map.Entry<Integer, List<ClosedLoop.Result>> e : load.get(t).entrySet()) {
                    List<ClosedLoop.Result> rs = e.getValue();
                    out.printf(
                            Locale.ROOT,
                            "| %-12s | %-10s | %8d | %8.0f | %8.2f | %8.2f | %12.0f | %6d |%n",
                            t.name(),
                            t.tool(),
                            e.getKey(),
                            median(rs, ClosedLoop.Result::callsPerSecond),
                            median(rs, r -> r.latencies().percentileMillis(50)),
                            median(rs, r -> r.latencies().percentileMillis(99)),
                            median(rs, ClosedLoop.Result::serverCpuMicrosPerCall),
                            rs.stream().mapToInt(ClosedLoop.Result::errors).sum());
                }
            }
            out.println();
        }
        if (targets.size() >= 2) {
            goals(targets.get(0), targets.get(1));
        }
    }

    private void printColdStarts() {
        int runs = cold.values().iterator().next().wall().size();
        out.printf(Locale.ROOT, "Cold start, launch to first successful initialize (%d runs)%n", runs);
        out.printf(
                Locale.ROOT,
                "| %-12s | %10s | %8s | %8s | %15s |%n",
                "server",
                "median ms",
                "min ms",
                "max ms",
                "median CPU ms");
        out.println("| ------------ | ---------: | -------: | -------: | --------------: |");
        for (Target t : targets) {
            Latencies l = cold.get(t).wall();
            out.printf(
                    Locale.ROOT,
                    "| %-12s | %10.0f | %8.0f | %8.0f | %15.0f |%n",
                    t.name(),
                    l.percentileMillis(50),
                    l.percentileMillis(0.001),
                    l.percentileMillis(100),
                    cold.get(t).cpu().percentileMillis(50));
        }
        out.println();
    }

    private void goals(Target a, Target b) {
        String vs = a.name() + " vs " + b.name();
        if (!cold.isEmpty()) {
            double ma = cold.get(a).wall().percentileMillis(50);
            double mb = cold.get(b).wall().percentileMillis(50);
            out.printf(
                    Locale.ROOT,
                    "start: %s median %.0f ms vs %.0f ms (%.2fx the time); goal < 1000 ms: %s%n",
                    vs,
                    ma,
                    mb,
                    ma / mb,
                    met(ma < 1000));
        }
        if (load.isEmpty()) {
            return;
        }
        int most = 0;
        for (Map.Entry<Integer, List<ClosedLoop.Result>> e : load.get(a).entrySet()) {
            List<ClosedLoop.Result> rb = load.get(b).get(e.getKey());
            most = Math.max(most, e.getKey());
            if (rb != null) {
                double ratio = median(e.getValue(), ClosedLoop.Result::callsPerSecond)
                        / median(rb, ClosedLoop.Result::callsPerSecond);
                out.printf(
                        Locale.ROOT,
                        "throughput at %d sessions: %s %.2fx; goal >= 3x: %s%n",
                        e.getKey(),
                        vs,
                        ratio,
                        met(ratio >= 3));
            }
        }
        List<ClosedLoop.Result> last = load.get(a).get(most);
        if (last != null) {
            double p99 = median(last, r -> r.latencies().percentileMillis(99));
            out.printf(
                    Locale.ROOT,
                    "p99 at %d sessions: %s %.2f ms; goal < 5 ms: %s%n",
                    most,
                    a.name(),
                    p99,
                    met(p99 < 5));
        }
    }

    /** Returns the median of a figure over rounds (the lower middle one for an even count). */
    private static double median(List<ClosedLoop.Result> rs, ToDoubleFunction<ClosedLoop.Result> figure) {
        double[] v = rs.stream().mapToDouble(figure).sorted().toArray();
        return v.length == 0 ? 0 : v[(v.length - 1) / 2];
    }

    private static String met(boolean yes) {
        return yes ? "met" : "NOT met";
    }
}
