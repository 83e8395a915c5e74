package dev.tandem.hub.bench;

import dev.tandem.core.memory.HistoryEntry;
import dev.tandem.core.memory.Memory;
import dev.tandem.core.memory.Scope;
import dev.tandem.core.store.PostgresLocation;
import dev.tandem.core.store.PostgresServer;
import dev.tandem.core.store.StoreSettings;
import dev.tandem.hub.MemoryBench;
import dev.tandem.hub.memory.MemoryService;
import dev.tandem.hub.memory.MemorySettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Benchmark (not a test) behind {@code bench/fleet.sh}: fleet throughput, two {@code tandem serve} processes on one
 * PostgreSQL database, against one hub on SQLite and one hub on PostgreSQL under the same load, in one run.
 *
 * <p>Each session loops over a mix of three calls, one each of {@code memory_store} (a new shared memory), {@code
 * memory_search} (one word) and {@code hub_info} (a plain call), closed loop. Configurations: {@code sqlite} and
 * {@code postgresql} (one hub; S sessions for each S given), {@code fleet} (two hubs, half of the largest S on each,
 * on one database). Rounds interleave the configurations. At the end every store's memory rows are counted and
 * compared with what it had plus the stores that were answered: a lost write is reported and fails the run.
 *
 * <p>Arguments: {@code ROOT TOKEN_FILE WORK_DIR PRELOAD SESSIONS SECONDS ROUNDS}, e.g. {@code . token /tmp/w 10000
 * 16,32 15 3}. PostgreSQL is {@link PostgresServer#durable()} (zonky's binaries from Maven Central on 127.0.0.1);
 * every hub runs as a person runs it ({@code bin/tandem serve --port 0}); one fleet hub reads the password from
 * {@code [store] password_file}, the other from {@code TANDEM_STORE_PASSWORD}.
 */
public final class FleetBench {
    private static final Duration SETTLE = Duration.ofSeconds(2);
    private static final String[] TOOLS = {"memory_store", "memory_search", "hub_info"};

    private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    private final Path root;
    private final Path tokenFile;
    private final String token;
    private final Path work;
    private final PostgresServer server;
    private final Path passwordFile;
    private final String[] words = MemoryBench.vocabulary();
    /** Answered {@code memory_store} calls per configuration, warm-ups included. */
    private final Map<String, AtomicInteger> stored = new ConcurrentHashMap<>();

    private final AtomicInteger errors = new AtomicInteger();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final AtomicInteger sequence = new AtomicInteger();

    private FleetBench(Path root, Path tokenFile, Path work, PostgresServer server, Path passwordFile)
            throws IOException {
        this.root = root;
        this.tokenFile = tokenFile;
        this.token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
        this.work = work;
        this.server = server;
        this.passwordFile = passwordFile;
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        Path tokenFile = Path.of(args[1]);
        Path work = Files.createDirectories(Path.of(args[2]));
        int preload = Integer.parseInt(args[3]);
        List<Integer> sessions = List.of(args[4].split(",", -1)).stream()
                .map(String::strip)
                .map(Integer::valueOf)
                .toList();
        Duration window = Duration.ofSeconds(Long.parseLong(args[5]));
        int rounds = Integer.parseInt(args[6]);
        PostgresServer server = PostgresServer.durable();
        Path passwordFile = work.resolve("store-password");
        Files.writeString(passwordFile, server.password() + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
        FleetBench bench = new FleetBench(root, tokenFile, work, server, passwordFile);
        if (!bench.run(preload, sessions, window, rounds)) {
            System.exit(1);
        }
    }

    /** One configuration: its hubs (all on one store) and how to count that store's memories. */
    private record Config(String name, List<Hub> hubs, Counter rows) {}

    @FunctionalInterface
    private interface Counter {
        long count() throws SQLException;
    }

    private boolean run(int preload, List<Integer> sessions, Duration window, int rounds) throws Exception {
        out.printf(
                Locale.ROOT,
                "machine: %d CPUs, %s; JDK %s; load average before: %s%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"),
                Runtime.version(),
                loadAverage());
        Path sqliteData = Files.createDirectories(work.resolve("sqlite/data"));
        PostgresLocation single = server.newEmptyDatabase("single");
        PostgresLocation fleet = server.newEmptyDatabase("fleet");
        preload(new StoreSettings(sqliteData.resolve(StoreSettings.FILE_NAME), "box"), preload);
        preload(new StoreSettings(work.resolve("unused.db"), "box").withPostgres(single), preload);
        preload(new StoreSettings(work.resolve("unused.db"), "box").withPostgres(fleet), preload);
        out.printf(Locale.ROOT, "each store holds %,d memories before the load%n", preload);

        List<Config> configs = new ArrayList<>();
        List<Hub> all = new ArrayList<>();
        try (HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build()) {
            try {
                Hub lite =
                        Hub.start(root, tokenFile, work.resolve("sqlite"), "box", Optional.empty(), Optional.empty());
                all.add(lite);
                configs.add(new Config("sqlite", List.of(lite), () -> countSqlite(sqliteData)));
                Hub p = Hub.start(
                        root, tokenFile, work.resolve("pg"), "box", Optional.of(single), Optional.of(passwordFile));
                all.add(p);
                configs.add(new Config("postgresql", List.of(p), () -> countPostgres(single)));
                Hub a = Hub.start(
                        root,
                        tokenFile,
                        work.resolve("fleet-a"),
                        "host-a",
                        Optional.of(fleet),
                        Optional.of(passwordFile));
                Hub b = Hub.startWithEnvPassword(
                        root, tokenFile, work.resolve("fleet-b"), "host-b", fleet, server.password());
                all.add(a);
                all.add(b);
                configs.add(new Config("fleet", List.of(a, b), () -> countPostgres(fleet)));

                Map<Config, Long> before = new LinkedHashMap<>();
                for (Config c : configs) {
                    before.put(c, c.rows().count());
                }
                int most = sessions.stream().mapToInt(Integer::intValue).max().orElse(16);
                for (Config c : configs) {
                    load(http, c, most, Duration.ofSeconds(5), Duration.ZERO); // warm-up, not reported
                }
                Map<String, List<Result>> results = new LinkedHashMap<>();
                for (int round = 1; round <= rounds; round++) {
                    for (int s : sessions) {
                        for (Config c : configs) {
                            if (c.name().equals("fleet") && s != most) {
                                continue;
                            }
                            Result r = load(http, c, s, SETTLE, window);
                            String key = c.name() + " " + label(c, s);
                            results.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
                            out.printf(Locale.ROOT, "round %d %-28s %s%n", round, key, r.line());
                        }
                    }
                }
                out.println();
                out.printf(
                        Locale.ROOT,
                        "%-30s %10s %9s %9s %8s %12s %12s %12s%n",
                        "configuration (median of rounds)",
                        "calls/s",
                        "p50 ms",
                        "p99 ms",
                        "errors",
                        "store p50",
                        "search p50",
                        "hub_info p50");
                results.forEach((key, list) -> out.printf(
                        Locale.ROOT,
                        "%-30s %10.0f %9.2f %9.2f %8d %12.2f %12.2f %12.2f%n",
                        key,
                        median(list.stream().mapToDouble(Result::callsPerSecond).toArray()),
                        median(list.stream()
                                .mapToDouble(r -> r.all().percentileMillis(50))
                                .toArray()),
                        median(list.stream()
                                .mapToDouble(r -> r.all().percentileMillis(99))
                                .toArray()),
                        list.stream().mapToInt(Result::errors).sum(),
                        median(list.stream()
                                .mapToDouble(r -> r.byTool().get("memory_store").percentileMillis(50))
                                .toArray()),
                        median(list.stream()
                                .mapToDouble(
                                        r -> r.byTool().get("memory_search").percentileMillis(50))
                                .toArray()),
                        median(list.stream()
                                .mapToDouble(r -> r.byTool().get("hub_info").percentileMillis(50))
                                .toArray())));
                out.println();
                boolean ok = errors.get() == 0;
                for (Config c : configs) {
                    long expected = before.get(c)
                            + stored.getOrDefault(c.name(), new AtomicInteger()).get();
                    long found = c.rows().count();
                    out.printf(
                            Locale.ROOT,
                            "rows %s: %,d memories before + %,d answered memory_store = %,d expected, %,d found%s%n",
                            c.name(),
                            before.get(c),
                            expected - before.get(c),
                            expected,
                            found,
                            found == expected ? " (nothing lost)" : " MISMATCH");
                    ok &= found == expected;
                }
                out.printf(
                        Locale.ROOT,
                        "errors (warm-up included): %d%s%n",
                        errors.get(),
                        firstError.get() == null ? "" : " (first: " + firstError.get() + ")");
                out.println("load average after: " + loadAverage());
                return ok;
            } finally {
                all.forEach(Hub::close);
            }
        }
    }

    private static String label(Config c, int sessions) {
        return c.hubs().size() == 1
                ? "1 hub x " + sessions
                : c.hubs().size() + " hubs x " + sessions / c.hubs().size();
    }

    /** What one measured window gave. */
    private record Result(double seconds, Latencies all, Map<String, Latencies> byTool, int errors) {
        double callsPerSecond() {
            return all.size() / seconds;
        }

        String line() {
            return String.format(
                    Locale.ROOT,
                    "%.0f calls/s p50 %.2f p99 %.2f ms (store %.2f, search %.2f, hub_info %.2f), errors %d",
                    callsPerSecond(),
                    all.percentileMillis(50),
                    all.percentileMillis(99),
                    byTool.get("memory_store").percentileMillis(50),
                    byTool.get("memory_search").percentileMillis(50),
                    byTool.get("hub_info").percentileMillis(50),
                    errors);
        }
    }

    /** Opens {@code sessions} sessions spread evenly over the configuration's hubs and runs the mix. */
    private Result load(HttpClient http, Config c, int sessions, Duration warmup, Duration window)
            throws IOException, InterruptedException {
        List<McpSession> open = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            open.add(McpSession.open(http, c.hubs().get(i % c.hubs().size()).uri(), Optional.of(token)));
        }
        long from = System.nanoTime() + warmup.toNanos();
        long to = from + window.toNanos();
        AtomicInteger windowErrors = new AtomicInteger();
        AtomicInteger answered = stored.computeIfAbsent(c.name(), k -> new AtomicInteger());
        List<Thread> threads = new ArrayList<>();
        List<Map<String, Latencies>> perSession = new ArrayList<>();
        for (int i = 0; i < open.size(); i++) {
            McpSession session = open.get(i);
            Map<String, Latencies> mine = new LinkedHashMap<>();
            for (String tool : TOOLS) {
                mine.put(tool, new Latencies());
            }
            perSession.add(mine);
            Random random = new Random(i * 31L + sequence.incrementAndGet());
            Thread t = Thread.ofPlatform().name("fleet-session").start(() -> {
                long start = System.nanoTime();
                for (int k = 0; start < to; k++) {
                    String tool = TOOLS[k % TOOLS.length];
                    boolean ok = call(session, tool, random, answered);
                    long end = System.nanoTime();
                    if (!ok) {
                        errors.incrementAndGet();
                        if (start >= from && end <= to) {
                            windowErrors.incrementAndGet();
                        }
                    } else if (start >= from && end <= to) {
                        mine.get(tool).add(end - start);
                    }
                    start = end;
                }
            });
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        for (McpSession s : open) {
            s.close();
        }
        Latencies all = new Latencies();
        Map<String, Latencies> byTool = new LinkedHashMap<>();
        for (String tool : TOOLS) {
            byTool.put(tool, new Latencies());
        }
        for (Map<String, Latencies> m : perSession) {
            m.forEach((tool, l) -> {
                all.addAll(l);
                byTool.get(tool).addAll(l);
            });
        }
        return new Result(window.toNanos() / 1e9, all, byTool, windowErrors.get());
    }

    private boolean call(McpSession session, String tool, Random random, AtomicInteger answered) {
        String args = switch (tool) {
            case "memory_store" -> {
                StringBuilder content = new StringBuilder("fleet load " + sequence.incrementAndGet());
                for (int w = 0; w < 30; w++) {
                    content.append(' ').append(words[zipf(random)]);
                }
                yield "{\"content\":\"" + content + "\",\"title\":\"" + words[zipf(random)] + " " + words[zipf(random)]
                        + "\",\"scope\":\"shared\",\"tags\":[\"fleet\"]}";
            }
            case "memory_search" -> "{\"query\":\"" + words[20 + random.nextInt(1980)] + "\",\"limit\":10}";
            default -> "{}";
        };
        try {
            session.callTool(tool, args);
            if (tool.equals("memory_store")) {
                answered.incrementAndGet();
            }
            return true;
        } catch (IOException | BenchException e) {
            firstError.compareAndSet(null, tool + ": " + e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
    }

    private static int zipf(Random r) {
        // rank ~ 1/x over the 5,000 words: exp(u * ln(5000)) is log-uniform, close enough for a load mix
        return Math.min(4999, (int) Math.exp(r.nextDouble() * Math.log(5000)) - 1);
    }

    private void preload(StoreSettings settings, int n) {
        List<HistoryEntry> entries = new ArrayList<>(n);
        Random r = new Random(42);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < n; i++) {
            StringBuilder content = new StringBuilder();
            for (int w = 0; w < 40; w++) {
                content.append(w == 0 ? "" : " ").append(words[zipf(r)]);
            }
            String title = words[zipf(r)] + " " + words[zipf(r)];
            Instant at = t.plusSeconds(i);
            entries.add(new HistoryEntry(
                    new Memory(
                            "pre" + i,
                            1,
                            title,
                            content.toString(),
                            title,
                            List.of("preload"),
                            Scope.SHARED,
                            "claude",
                            "box",
                            at,
                            at),
                    false));
        }
        try (MemoryService memories = MemoryService.open(new MemorySettings(settings, 65536))) {
            for (int from = 0; from < n; from += 1000) {
                memories.importHistory(entries.subList(from, Math.min(n, from + 1000)));
            }
        }
    }

    private static long countSqlite(Path data) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve(StoreSettings.FILE_NAME))) {
            return count(c);
        }
    }

    private long countPostgres(PostgresLocation at) throws SQLException {
        String url = at.jdbcUrl();
        try (Connection c = server.connect(url.substring(url.lastIndexOf('/') + 1))) {
            return count(c);
        }
    }

    /** Returns the memories, after checking every one has its history row (a half-written store would not). */
    private static long count(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM memory),"
                        + " (SELECT count(*) FROM memory_history WHERE deleted = 0)")) {
            rs.next();
            if (rs.getLong(1) != rs.getLong(2)) {
                throw new BenchException(
                        "memory holds " + rs.getLong(1) + " rows but memory_history " + rs.getLong(2) + " versions");
            }
            return rs.getLong(1);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? 0 : sorted[(sorted.length - 1) / 2];
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII)
                    .split(" ", -1);
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** A {@code tandem serve --port 0} process, as a person starts it, with its own home and data folder. */
    private static final class Hub implements AutoCloseable {
        private final Process process;
        private final URI uri;

        private Hub(Process process, URI uri) {
            this.process = process;
            this.uri = uri;
        }

        URI uri() {
            return uri;
        }

        static Hub start(
                Path root,
                Path tokenFile,
                Path dir,
                String host,
                Optional<PostgresLocation> store,
                Optional<Path> passwordFile)
                throws IOException {
            StringBuilder toml = new StringBuilder("[memory]\nhost = \"" + host + "\"\n");
            store.ifPresent(s -> toml.append("[store]\nurl = \"").append(s).append("\"\n"));
            passwordFile.ifPresent(
                    f -> toml.append("password_file = \"").append(f).append("\"\n"));
            return launch(root, tokenFile, dir, toml.toString(), Map.of());
        }

        static Hub startWithEnvPassword(
                Path root, Path tokenFile, Path dir, String host, PostgresLocation store, String password)
                throws IOException {
            String toml = "[memory]\nhost = \"" + host + "\"\n[store]\nurl = \"" + store + "\"\n";
            return launch(root, tokenFile, dir, toml, Map.of(StoreSettings.PASSWORD_ENV, password));
        }

        private static Hub launch(Path root, Path tokenFile, Path dir, String toml, Map<String, String> env)
                throws IOException {
            Path home = Files.createDirectories(dir.resolve("home/.tandem")).getParent();
            Files.writeString(home.resolve(".tandem/hub.toml"), toml, StandardCharsets.UTF_8);
            Path data = Files.createDirectories(dir.resolve("data"));
            ProcessBuilder pb = new ProcessBuilder(
                            root.resolve("bin/tandem").toString(),
                            "serve",
                            "--port",
                            "0",
                            "--token-file",
                            tokenFile.toString(),
                            "--data-dir",
                            data.toString())
                    .directory(dir.toFile())
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(
                            dir.resolve("hub.log").toFile()));
            pb.environment().put("HOME", home.toString());
            pb.environment().remove(StoreSettings.PASSWORD_ENV);
            pb.environment().putAll(env);
            Process p = pb.start();
            BufferedReader lines =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String prefix = "tandem hub listening on ";
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.startsWith(prefix)) {
                    Thread.ofPlatform().daemon().start(() -> drain(lines));
                    return new Hub(p, URI.create(line.substring(prefix.length()).strip()));
                }
            }
            p.destroyForcibly();
            throw new BenchException("hub in " + dir + " exited before listening: "
                    + Files.readString(dir.resolve("hub.log"), StandardCharsets.UTF_8));
        }

        private static void drain(BufferedReader lines) {
            try {
                while (lines.readLine() != null) {
                    // the hub's standard output, read so it never blocks
                }
            } catch (IOException e) {
                // the hub exited
            }
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
