package dev.tandem.hub.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints the benchmark tables, the ratios of the first target to the second, and whether the first meets the
 * hub's goals (start &lt; 1 s; throughput &ge; 3&times; the second at every session count; p99 &lt; 5 ms at the
 * largest session count).
 */
final class Report {
    private final PrintStream out;
    private final List<Target> targets;
    private final Map<Target, McpLoad.ColdStarts> cold;
    private final Map<Target, List<ClosedLoop.Result>> load;

    Report(
            PrintStream out,
            List<Target> targets,
            Map<Target, McpLoad.ColdStarts> cold,
            Map<Target, List<ClosedLoop.Result>> load) {
        this.out = out;
        this.targets = targets;
        this.cold = cold;
        this.load = load;
    }

    void print(Duration warmup, Duration window) {
        out.println();
        if (!cold.isEmpty()) {
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
        if (!load.isEmpty()) {
            out.printf(
                    Locale.ROOT,
                    "tools/call, closed loop, %d s measured after %d s warm-up%n",
                    window.toSeconds(),
                    warmup.toSeconds());
            out.printf(
                    Locale.ROOT,
                    "| %-12s | %-14s | %8s | %8s | %8s | %8s | %12s | %6s |%n",
                    "server",
                    "tool",
                    "sessions",
                    "calls/s",
                    "p50 ms",
                    "p99 ms",
                    "CPU us/call",
                    "errors");
            out.println(
                    "| ------------ | -------------- | -------: | -------: | -------: | -------: | -----------: | -----: |");
            for (Target t : targets) {
                for (ClosedLoop.Result r : load.get(t)) {
                    out.printf(
                            Locale.ROOT,
                            "| %-12s | %-14s | %8d | %8.0f | %8.2f | %8.2f | %12.0f | %6d |%n",
                            t.name(),
                            t.tool(),
                            r.sessions(),
                            r.callsPerSecond(),
                            r.latencies().percentileMillis(50),
                            r.latencies().percentileMillis(99),
                            r.serverCpuMicrosPerCall(),
                            r.errors());
                }
            }
            out.println();
        }
        if (targets.size() >= 2) {
            goals(targets.get(0), targets.get(1));
        }
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
        if (!load.isEmpty()) {
            List<ClosedLoop.Result> ra = load.get(a);
            List<ClosedLoop.Result> rb = load.get(b);
            for (int i = 0; i < Math.min(ra.size(), rb.size()); i++) {
                double ratio = ra.get(i).callsPerSecond() / rb.get(i).callsPerSecond();
                out.printf(
                        Locale.ROOT,
                        "throughput at %d sessions: %s %.2fx; goal >= 3x: %s%n",
                        ra.get(i).sessions(),
                        vs,
                        ratio,
                        met(ratio >= 3));
            }
            if (!ra.isEmpty()) {
                ClosedLoop.Result last = ra.get(ra.size() - 1);
                double p99 = last.latencies().percentileMillis(99);
                out.printf(
                        Locale.ROOT,
                        "p99 at %d sessions: %s %.2f ms; goal < 5 ms: %s%n",
                        last.sessions(),
                        a.name(),
                        p99,
                        met(p99 < 5));
            }
        }
    }

    private static String met(boolean yes) {
        return yes ? "met" : "NOT met";
    }
}
