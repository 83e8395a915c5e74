package dev.tandem.hub;

import dev.tandem.core.memory.HistoryEntry;
import dev.tandem.core.memory.Memory;
import dev.tandem.core.memory.Owner;
import dev.tandem.core.memory.Scope;
import dev.tandem.core.store.PostgresLocation;
import dev.tandem.core.store.PostgresServer;
import dev.tandem.core.store.StoreSettings;
import dev.tandem.hub.memory.MemoryService;
import dev.tandem.hub.memory.MemorySettings;
import dev.tandem.hub.memory.StoreRequest;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Benchmark (not a test): the memory store on PostgreSQL against SQLite at the same size, in one run, every
 * operation interleaved between the two backends (the first one alternates), so the load of a shared machine falls
 * on both alike.
 *
 * <p>Arguments: {@code MEMORIES CALLS WORK_DIR}, e.g. {@code 100000 200 /tmp/bench}. The PostgreSQL server is the
 * tests' ({@link PostgresServer}: zonky's binaries from Maven Central, on 127.0.0.1, as {@code nobody} under root)
 * with its durable defaults ({@link PostgresServer#durable()}), as SQLite runs at {@code synchronous=FULL}.
 * Both stores get the corpus of {@link MemoryBench} through the import path (chunks of 1,000 memories, one
 * transaction each), then: single inserts ({@code MemoryService.store}), searches with one and with two words,
 * the first page of the listing and a page 10,000 deep, gets by id, all in this JVM; then {@code memory_search}
 * through a real hub per backend over Streamable HTTP with the MCP Java SDK client. Run it with {@code
 * bench/store-postgres.sh}.
 */
public final class StoreBench {
    private static final int CHUNK = 1000;
    private static final int WARMUP = 50;
    private static final String HOST = "box";
    private static final List<String> BACKENDS = List.of("sqlite", "postgresql");

    private StoreBench() {}

    public static void main(String[] args) throws Exception {
        int size = Integer.parseInt(args[0]);
        int calls = Integer.parseInt(args[1]);
        Path work = Files.createDirectories(Path.of(args[2]));
        String[] words = MemoryBench.vocabulary();
        List<String[]> corpus = MemoryBench.corpus(words, size);
        List<String> oneWord = MemoryBench.queries(words, calls + WARMUP);
        List<String> twoWords = twoWordQueries(words, calls + WARMUP);

        PostgresServer server = PostgresServer.durable();
        PostgresLocation pg = server.newEmptyDatabase("bench");
        Path passwordFile = work.resolve("store-password");
        Files.writeString(passwordFile, server.password() + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
        Path sqliteDir = work.resolve("sqlite");
        Path pgDir = work.resolve("postgresql");
        Path sqliteData = Files.createDirectories(sqliteDir.resolve("home/.tandem/data"));
        Files.createDirectories(pgDir.resolve("home/.tandem/data"));

        System.out.printf(
                Locale.ROOT,
                "memories %,d, %d measured calls per operation after %d warm-up; load average before: %s%n",
                size,
                calls,
                WARMUP,
                loadAverage());
        System.out.printf(
                Locale.ROOT,
                "%-28s %12s %12s %12s %12s %10s %10s%n",
                "operation",
                "sqlite p50",
                "sqlite p95",
                "pg p50",
                "pg p95",
                "pg/sqlite",
                "(p95)");
        Map<String, MemoryService> stores = Map.of(
                "sqlite",
                MemoryService.open(new MemorySettings(sqliteData.resolve(StoreSettings.FILE_NAME), HOST, 65536)),
                "postgresql",
                MemoryService.open(new MemorySettings(
                        new StoreSettings(pgDir.resolve("unused.db"), HOST).withPostgres(pg), 65536)));
        try {
            importCorpus(stores, corpus);
            try (Connection c = server.connect(database(pg));
                    Statement st = c.createStatement()) {
                st.execute("ANALYZE"); // what autovacuum does after a bulk load, so the planner knows the table
            }
            Owner owner = stores.get("sqlite").owner("claude");
            Random ids = new Random(5);
            row(
                    "insert (memory_store path)",
                    interleave(
                            calls,
                            (name, i) -> stores.get(name)
                                    .store(
                                            owner,
                                            new StoreRequest(
                                                    corpus.get(i % corpus.size())[1] + " insert " + i,
                                                    Optional.of(corpus.get(i % corpus.size())[0]),
                                                    Optional.empty(),
                                                    Optional.of(List.of("bench")),
                                                    Optional.of(Scope.SHARED),
                                                    Optional.empty()))));
            row(
                    "search, 1 word (limit 10)",
                    interleave(
                            calls,
                            (name, i) ->
                                    stores.get(name).search(owner, oneWord.get(i), List.of(), Optional.empty(), 10)));
            row(
                    "search, 2 words (limit 10)",
                    interleave(
                            calls,
                            (name, i) ->
                                    stores.get(name).search(owner, twoWords.get(i), List.of(), Optional.empty(), 10)));
            row(
                    "list, first page (20)",
                    interleave(calls, (name, i) -> stores.get(name).list(owner, List.of(), Optional.empty(), 0, 20)));
            row(
                    "list, page at 10,000 (20)",
                    interleave(
                            calls,
                            (name, i) -> stores.get(name)
                                    .list(owner, List.of(), Optional.empty(), Math.min(10_000, size / 2), 20)));
            int[] picks = ids.ints(calls + WARMUP, 0, size).toArray();
            row(
                    "get by id",
                    interleave(
                            calls,
                            (name, i) -> stores.get(name).retrieve(owner, "bench" + picks[i], Optional.empty())));
        } finally {
            stores.values().forEach(MemoryService::close);
        }

        String memory = "[memory]\nhost = \"" + HOST + "\"\n";
        try (TestHub sqliteHub = TestHub.start(sqliteDir, memory, null);
                TestHub pgHub = TestHub.start(
                        pgDir,
                        memory + "[store]\nurl = \"" + pg + "\"\npassword_file = \"" + passwordFile + "\"\n",
                        null)) {
            Map<String, McpSyncClient> clients =
                    Map.of("sqlite", sqliteHub.client("claude-code"), "postgresql", pgHub.client("claude-code"));
            row(
                    "hub memory_search, 1 word",
                    interleave(
                            calls,
                            (name, i) -> check(clients.get(name)
                                    .callTool(McpSchema.CallToolRequest.builder("memory_search")
                                            .arguments(Map.of("query", oneWord.get(i), "limit", 10))
                                            .build()))));
            row(
                    "hub memory_search, 2 words",
                    interleave(
                            calls,
                            (name, i) -> check(clients.get(name)
                                    .callTool(McpSchema.CallToolRequest.builder("memory_search")
                                            .arguments(Map.of("query", twoWords.get(i), "limit", 10))
                                            .build()))));
        }
        System.out.println("load average after: " + loadAverage());
    }

    /**
     * Imports the corpus into every store in chunks, interleaved; prints the chunk latency and the whole import's
     * rate per backend.
     */
    private static void importCorpus(Map<String, MemoryService> stores, List<String[]> corpus) {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        int chunks = (corpus.size() + CHUNK - 1) / CHUNK;
        List<List<HistoryEntry>> parts = new ArrayList<>(chunks);
        for (int k = 0; k < chunks; k++) {
            List<HistoryEntry> part = new ArrayList<>(CHUNK);
            for (int i = k * CHUNK; i < Math.min(corpus.size(), (k + 1) * CHUNK); i++) {
                String[] doc = corpus.get(i);
                Instant at = t.plusSeconds(i);
                part.add(new HistoryEntry(
                        new Memory(
                                "bench" + i,
                                1,
                                doc[0],
                                doc[1],
                                doc[0],
                                List.of("bench"),
                                Scope.SHARED,
                                "claude",
                                HOST,
                                at,
                                at),
                        false));
            }
            parts.add(part);
        }
        Map<String, double[]> times =
                interleaveAll(chunks, (name, k) -> stores.get(name).importHistory(parts.get(k)));
        for (String name : BACKENDS) {
            double total = Arrays.stream(times.get(name)).sum() / 1000;
            System.out.printf(
                    Locale.ROOT,
                    "import %s: %,d memories in %.1f s (%,.0f memories/s)%n",
                    name,
                    corpus.size(),
                    total,
                    corpus.size() / total);
        }
        row("import, chunk of " + CHUNK, sorted(times));
    }

    /** One call of an operation on a backend, for call number {@code i}. */
    private interface Op {
        Object run(String backend, int i);
    }

    /** Runs {@code calls + WARMUP} rounds, each calling both backends (alternating which goes first). */
    private static Map<String, double[]> interleave(int calls, Op op) {
        Map<String, double[]> all = interleaveAll(calls + WARMUP, op);
        Map<String, double[]> measured = new HashMap<>();
        all.forEach((k, v) -> measured.put(k, Arrays.copyOfRange(v, WARMUP, v.length)));
        return sorted(measured);
    }

    private static Map<String, double[]> interleaveAll(int rounds, Op op) {
        Map<String, double[]> out = Map.of("sqlite", new double[rounds], "postgresql", new double[rounds]);
        for (int i = 0; i < rounds; i++) {
            List<String> order = i % 2 == 0 ? BACKENDS : BACKENDS.reversed();
            for (String name : order) {
                long start = System.nanoTime();
                op.run(name, i);
                out.get(name)[i] = (System.nanoTime() - start) / 1e6;
            }
        }
        return out;
    }

    private static Map<String, double[]> sorted(Map<String, double[]> times) {
        times.values().forEach(Arrays::sort);
        return times;
    }

    private static void row(String operation, Map<String, double[]> t) {
        double[] s = t.get("sqlite");
        double[] p = t.get("postgresql");
        System.out.printf(
                Locale.ROOT,
                "%-28s %10.2fms %10.2fms %10.2fms %10.2fms %9.1fx %9.1fx%n",
                operation,
                pct(s, 50),
                pct(s, 95),
                pct(p, 50),
                pct(p, 95),
                pct(p, 50) / pct(s, 50),
                pct(p, 95) / pct(s, 95));
    }

    private static McpSchema.CallToolResult check(McpSchema.CallToolResult r) {
        if (Boolean.TRUE.equals(r.isError())) {
            throw new IllegalStateException("memory_search failed: " + r.content());
        }
        return r;
    }

    private static double pct(double[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** Returns two-word queries from the same ranks as {@link MemoryBench#queries}. */
    private static List<String> twoWordQueries(String[] words, int n) {
        Random r = new Random(123);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(words[20 + r.nextInt(1980)] + " " + words[20 + r.nextInt(1980)]);
        }
        return out;
    }

    private static String database(PostgresLocation at) {
        String url = at.jdbcUrl();
        return url.substring(url.lastIndexOf('/') + 1);
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
}
