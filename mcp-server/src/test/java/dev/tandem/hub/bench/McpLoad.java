package dev.tandem.hub.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The MCP load generator behind {@code bench/hub.sh}: the same client code measures every target in one run.
 *
 * <ol>
 *   <li>Cold start: launch the target's command on a free port and time it until the first successful {@code
 *       initialize} response (one unmeasured launch per target first, then the runs interleaved; median).
 *   <li>Throughput and latency: start every target once and warm it up; then, in rounds, for each session count S
 *       and each target in turn, open S sessions ({@code initialize} + {@code notifications/initialized}) and call
 *       the tool in a closed loop for the measured window (after 2 s to settle). The report gives each figure's
 *       median over the rounds.
 * </ol>
 *
 * <pre>
 * java -cp mcp-server/target/test-classes dev.tandem.hub.bench.McpLoad \
 *   --token-file F --cold-runs 10 --sessions 1,16 --warmup-seconds 10 --seconds 10 --rounds 3 \
 *   --target 'hub|hub_info|{}|bin/tandem serve --port {port} --token-file F --data-dir D' \
 *   --target 'everything|echo|{"message":"hi"}|node .../dist/index.js streamableHttp'
 * </pre>
 *
 * Not a test: benchmarks never run under {@code mvn verify}.
 */
public final class McpLoad {
    private static final Duration SETTLE = Duration.ofSeconds(2);

    private final List<Target> targets = new ArrayList<>();
    private Optional<String> token = Optional.empty();
    private int coldRuns = 10;
    private List<Integer> sessions = List.of(1, 16);
    private int rounds = 3;
    private Duration warmup = Duration.ofSeconds(10);
    private Duration window = Duration.ofSeconds(10);
    private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    private McpLoad() {}

    public static void main(String[] args) throws Exception {
        McpLoad load;
        try {
            load = parse(args);
        } catch (BenchException | IOException | IllegalArgumentException e) {
            System.err.println("mcp-load: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            load.run();
        } catch (BenchException e) {
            System.err.println("mcp-load: " + e.getMessage());
            System.exit(1);
        }
    }

    private static McpLoad parse(String[] args) throws IOException {
        McpLoad l = new McpLoad();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                throw new BenchException(flag + " needs a value");
            }
            String v = args[++i];
            switch (flag) {
                case "--target" -> l.targets.add(Target.parse(v));
                case "--token-file" ->
                    l.token = Optional.of(
                            Files.readString(Path.of(v), StandardCharsets.UTF_8).strip());
                case "--cold-runs" -> l.coldRuns = Integer.parseInt(v);
                case "--sessions" ->
                    l.sessions = Arrays.stream(v.split(",", -1))
                            .map(String::strip)
                            .map(Integer::valueOf)
                            .toList();
                case "--warmup-seconds" -> l.warmup = Duration.ofSeconds(Long.parseLong(v));
                case "--seconds" -> l.window = Duration.ofSeconds(Long.parseLong(v));
                case "--rounds" -> l.rounds = Integer.parseInt(v);
                default -> throw new BenchException("unknown flag " + flag);
            }
        }
        if (l.targets.isEmpty()) {
            throw new BenchException("give at least one --target NAME|TOOL|ARGUMENTS_JSON|COMMAND");
        }
        return l;
    }

    private void run() throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build()) {
            out.printf(
                    Locale.ROOT,
                    "machine: %d CPUs, %s %s; load generator on JDK %s in the same machine%n",
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("os.name"),
                    System.getProperty("os.arch"),
                    Runtime.version());
            String loadBefore = loadAverage();
            Map<Target, ColdStarts> cold = coldRuns > 0 ? coldStarts(http) : Map.of();
            Map<Target, Map<Integer, List<ClosedLoop.Result>>> load = window.isZero() ? Map.of() : loads(http);
            new Report(out, targets, cold, load).print(warmup, window, rounds);
            out.println("load average (1, 5, 15 min) before: " + loadBefore + "; after: " + loadAverage());
        }
    }

    private Map<Target, ColdStarts> coldStarts(HttpClient http) throws IOException, InterruptedException {
        Map<Target, ColdStarts> times = new LinkedHashMap<>();
        for (Target t : targets) {
            try (ServerProcess p = ServerProcess.start(t, http, token)) {
                out.printf(Locale.ROOT, "cold start %s: warm-up launch %.0f ms (not counted)%n", t.name(), ms(p));
            }
            times.put(t, new ColdStarts(new Latencies(), new Latencies()));
        }
        for (int run = 1; run <= coldRuns; run++) {
            for (Target t : targets) {
                try (ServerProcess p = ServerProcess.start(t, http, token)) {
                    times.get(t).wall().add(p.startupNanos());
                    times.get(t).cpu().add(p.startupCpu().toNanos());
                    out.printf(
                            Locale.ROOT,
                            "cold start %s: run %d %.0f ms (server CPU %d ms)%n",
                            t.name(),
                            run,
                            ms(p),
                            p.startupCpu().toMillis());
                }
            }
        }
        return times;
    }

    /**
     * Starts every target once, warms each up at the largest session count, then measures in rounds: each round
     * runs every session count on every target in turn, so slow spells of a shared machine hit all of them.
     */
    private Map<Target, Map<Integer, List<ClosedLoop.Result>>> loads(HttpClient http)
            throws IOException, InterruptedException {
        Map<Target, Map<Integer, List<ClosedLoop.Result>>> results = new LinkedHashMap<>();
        Map<Target, ServerProcess> servers = new LinkedHashMap<>();
        ClosedLoop loop = new ClosedLoop(http, token);
        int most = sessions.stream().mapToInt(Integer::intValue).max().orElse(1);
        try {
            for (Target t : targets) {
                ServerProcess p = ServerProcess.start(t, http, token);
                servers.put(t, p);
                loop.run(t, p.uri(), most, warmup, Duration.ZERO, p::cpuTime);
                results.put(t, new LinkedHashMap<>());
            }
            for (int round = 1; round <= rounds; round++) {
                for (int s : sessions) {
                    for (Target t : targets) {
                        ServerProcess p = servers.get(t);
                        ClosedLoop.Result r = loop.run(t, p.uri(), s, SETTLE, window, p::cpuTime);
                        printRun(t, round, r);
                        results.get(t)
                                .computeIfAbsent(s, k -> new ArrayList<>())
                                .add(r);
                    }
                }
            }
        } finally {
            servers.values().forEach(ServerProcess::close);
        }
        return results;
    }

    private void printRun(Target t, int round, ClosedLoop.Result r) {
        out.printf(
                Locale.ROOT,
                "load %s round %d: %d sessions %.0f calls/s p50 %.2f p90 %.2f p99 %.2f p99.9 %.2f max %.2f ms,"
                        + " server CPU %.0f us/call, errors %d%s%n",
                t.name(),
                round,
                r.sessions(),
                r.callsPerSecond(),
                r.latencies().percentileMillis(50),
                r.latencies().percentileMillis(90),
                r.latencies().percentileMillis(99),
                r.latencies().percentileMillis(99.9),
                r.latencies().percentileMillis(100),
                r.serverCpuMicrosPerCall(),
                r.errors(),
                r.errors() == 0 ? "" : " (first: " + r.firstError() + ")");
    }

    /** Returns the machine's load averages from /proc/loadavg, which tell how much else was running. */
    private static String loadAverage() {
        Path proc = Path.of("/proc/loadavg");
        try {
            String text = Files.readString(proc, StandardCharsets.US_ASCII).strip();
            int third = text.indexOf(' ', text.indexOf(' ', text.indexOf(' ') + 1) + 1);
            return third < 0 ? text : text.substring(0, third);
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Cold-start times of one target: wall clock from launch to answer, and the server's CPU time until then. */
    record ColdStarts(Latencies wall, Latencies cpu) {}

    private static double ms(ServerProcess p) {
        return p.startupNanos() / 1e6;
    }
}
