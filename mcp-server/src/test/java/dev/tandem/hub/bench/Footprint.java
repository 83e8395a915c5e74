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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The footprint benchmark behind {@code bench/footprint.sh}: for every target, in the same run and with the same
 * client, the cold start to the first {@code initialize} answer and the resident memory (VmRSS of the server's
 * process tree) after start and after each of several load rounds; each round is 1 session × N calls then 16
 * sessions × M calls of the target's tool. Every run launches each target afresh; the report gives medians over
 * the runs.
 *
 * <pre>
 * java -cp mcp-server/target/test-classes dev.tandem.hub.bench.Footprint \
 *   --token-file F --runs 5 --rounds 5 --calls 2000,500 \
 *   --target 'hub|hub_info|{}|bin/tandem serve --port {port} --token-file F --data-dir D' \
 *   --target 'everything|echo|{"message":"hi"}|node .../dist/index.js streamableHttp'
 * </pre>
 *
 * Not a test: benchmarks never run under {@code mvn verify}.
 */
public final class Footprint {
    private static final int SESSIONS = 16;

    private final List<Target> targets = new ArrayList<>();
    private Optional<String> token = Optional.empty();
    private int runs = 5;
    private int rounds = 5;
    private int singleCalls = 2000;
    private int callsPerSession = 500;
    private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    private Footprint() {}

    public static void main(String[] args) throws Exception {
        Footprint f;
        try {
            f = parse(args);
        } catch (BenchException | IOException | IllegalArgumentException e) {
            System.err.println("footprint: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            f.run();
        } catch (BenchException e) {
            System.err.println("footprint: " + e.getMessage());
            System.exit(1);
        }
    }

    private static Footprint parse(String[] args) throws IOException {
        Footprint f = new Footprint();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                throw new BenchException(flag + " needs a value");
            }
            String v = args[++i];
            switch (flag) {
                case "--target" -> f.targets.add(Target.parse(v));
                case "--token-file" ->
                    f.token = Optional.of(
                            Files.readString(Path.of(v), StandardCharsets.UTF_8).strip());
                case "--runs" -> f.runs = Integer.parseInt(v);
                case "--rounds" -> f.rounds = Integer.parseInt(v);
                case "--calls" -> {
                    int[] n = Arrays.stream(v.split(",", -1))
                            .map(String::strip)
                            .mapToInt(Integer::parseInt)
                            .toArray();
                    if (n.length != 2) {
                        throw new BenchException("--calls wants SINGLE,PER_SESSION, got: " + v);
                    }
                    f.singleCalls = n[0];
                    f.callsPerSession = n[1];
                }
                default -> throw new BenchException("unknown flag " + flag);
            }
        }
        if (f.targets.isEmpty()) {
            throw new BenchException("give at least one --target NAME|TOOL|ARGUMENTS_JSON|COMMAND");
        }
        return f;
    }

    private void run() throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build()) {
            out.printf(
                    Locale.ROOT,
                    "machine: %d CPUs; load: 1 x %d then %d x %d tools/call per round, %d rounds, %d runs%n",
                    Runtime.getRuntime().availableProcessors(),
                    singleCalls,
                    SESSIONS,
                    callsPerSession,
                    rounds,
                    runs);
            for (Target t : targets) {
                try (ServerProcess p = ServerProcess.start(t, http, token)) {
                    out.printf(Locale.ROOT, "%s: warm-up launch %.0f ms (not counted)%n", t.name(), ms(p));
                }
            }
            Map<Target, List<double[]>> samples = new LinkedHashMap<>();
            for (int run = 1; run <= runs; run++) {
                for (Target t : targets) {
                    double[] s = measure(t, http);
                    samples.computeIfAbsent(t, k -> new ArrayList<>()).add(s);
                    out.printf(Locale.ROOT, "%s run %d: %s%n", t.name(), run, describe(s));
                }
            }
            report(samples);
        }
    }

    /** Returns cold start (ms), RSS after start, then RSS after each round (MiB). */
    private double[] measure(Target t, HttpClient http) throws IOException, InterruptedException {
        double[] s = new double[rounds + 2];
        try (ServerProcess p = ServerProcess.start(t, http, token)) {
            s[0] = ms(p);
            s[1] = rssMib(p);
            for (int round = 1; round <= rounds; round++) {
                load(t, p, http, 1, singleCalls);
                load(t, p, http, SESSIONS, callsPerSession);
                s[round + 1] = rssMib(p);
            }
        }
        return s;
    }

    private void load(Target t, ServerProcess p, HttpClient http, int sessions, int calls)
            throws IOException, InterruptedException {
        List<McpSession> open = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            open.add(McpSession.open(http, p.uri(), token));
        }
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (McpSession s : open) {
            threads.add(Thread.ofPlatform().name("footprint-session").start(() -> {
                try {
                    for (int i = 0; i < calls; i++) {
                        s.callTool(t.tool(), t.argumentsJson());
                    }
                } catch (IOException | InterruptedException | BenchException e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread th : threads) {
            th.join();
        }
        for (McpSession s : open) {
            s.close();
        }
        if (!failures.isEmpty()) {
            throw new BenchException(t.name() + ": a call failed: " + failures.get(0), failures.get(0));
        }
    }

    /** Returns the summed VmRSS of the server's process and its descendants, in MiB. */
    private static double rssMib(ServerProcess p) {
        return p.processes().mapToLong(Footprint::rssKib).sum() / 1024.0;
    }

    private static long rssKib(ProcessHandle h) {
        try (Stream<String> lines = Files.lines(Path.of("/proc/" + h.pid() + "/status"))) {
            return lines.filter(l -> l.startsWith("VmRSS:"))
                    .map(l -> l.replaceAll("[^0-9]", ""))
                    .mapToLong(Long::parseLong)
                    .findFirst()
                    .orElse(0);
        } catch (IOException e) {
            return 0; // the process ended between listing and reading
        }
    }

    private String describe(double[] s) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "cold start %.0f ms, RSS %.0f MiB", s[0], s[1]));
        b.append(" after start; after rounds:");
        for (int i = 2; i < s.length; i++) {
            b.append(String.format(Locale.ROOT, " %.0f", s[i]));
        }
        return b.append(" MiB").toString();
    }

    private void report(Map<Target, List<double[]>> samples) {
        StringBuilder head = new StringBuilder("| server | cold start ms | RSS after start MiB |");
        StringBuilder rule = new StringBuilder("| --- | --- | --- |");
        for (int r = 1; r <= rounds; r++) {
            head.append(" RSS after round ").append(r).append(" MiB |");
            rule.append(" --- |");
        }
        out.println();
        out.println(head);
        out.println(rule);
        samples.forEach((t, list) -> {
            StringBuilder row = new StringBuilder("| " + t.name() + " |");
            for (int i = 0; i < rounds + 2; i++) {
                int col = i;
                double[] v = list.stream().mapToDouble(s -> s[col]).sorted().toArray();
                double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
                row.append(String.format(Locale.ROOT, " %.0f |", median));
            }
            out.println(row);
        });
        out.printf(Locale.ROOT, "(medians over %d runs; each run launches every server afresh)%n", runs);
    }

    private static double ms(ServerProcess p) {
        return p.startupNanos() / 1e6;
    }
}
