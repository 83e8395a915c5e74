package dev.tandem.hub;

import dev.tandem.core.memory.HistoryEntry;
import dev.tandem.core.memory.Memory;
import dev.tandem.core.memory.Owner;
import dev.tandem.core.memory.Scope;
import dev.tandem.hub.memory.MemoryService;
import dev.tandem.hub.memory.MemorySettings;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import tools.jackson.databind.json.JsonMapper;

/**
 * Benchmark (not a test): {@code memory_search} latency through a real hub at several store sizes, against the
 * reference {@code @modelcontextprotocol/server-memory} ({@code search_nodes}) holding as many observations.
 *
 * <p>Arguments: {@code SIZES QUERIES WORK_DIR [PEER_INDEX_JS]}, e.g. {@code 1000,10000,100000 200 /tmp/bench
 * .ci/tools/memory-peer/node_modules/@modelcontextprotocol/server-memory/dist/index.js}. Both sides get the same
 * synthetic corpus (Zipf-distributed words, ~40 per memory) and the same one-word queries; latency is measured
 * in the client around each tool call. Run it with {@code bench/memory-search.sh}.
 */
public final class MemoryBench {
    private static final int VOCABULARY = 5000;
    private static final int WARMUP = 50;
    // a common word at 100k memories makes search_nodes answer with tens of MB (every match, pretty-printed
    // twice); the SDK's stdio client drops lines over 16 MB by default
    private static final int PEER_MAX_RESPONSE = 1 << 30;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private MemoryBench() {}

    public static void main(String[] args) throws Exception {
        int[] sizes = Arrays.stream(args[0].split(",", -1))
                .mapToInt(Integer::parseInt)
                .toArray();
        int queries = Integer.parseInt(args[1]);
        Path work = Files.createDirectories(Path.of(args[2]));
        String peer = args.length > 3 ? args[3] : null;
        String[] words = vocabulary();
        List<String> qs = queries(words, queries + WARMUP);
        System.out.printf(
                Locale.ROOT,
                "%-8s %12s %12s %12s %12s %12s %12s %10s%n",
                "memories",
                "store p50",
                "store p99",
                "tandem p50",
                "tandem p99",
                "peer p50",
                "peer p99",
                "p50 ratio");
        for (int size : sizes) {
            List<String[]> corpus = corpus(words, size);
            Path dir = work.resolve("tandem-" + size);
            double[] store = fillAndSearchInProcess(dir, corpus, qs);
            double[] tandem = tandem(dir, qs);
            double[] ref = peer == null ? new double[0] : peer(work.resolve("peer-" + size), corpus, qs, peer);
            System.out.printf(
                    Locale.ROOT,
                    "%-8d %10.2fms %10.2fms %10.2fms %10.2fms %12s %12s %10s%n",
                    size,
                    pct(store, 50),
                    pct(store, 99),
                    pct(tandem, 50),
                    pct(tandem, 99),
                    ref.length == 0 ? "-" : String.format(Locale.ROOT, "%10.2fms", pct(ref, 50)),
                    ref.length == 0 ? "-" : String.format(Locale.ROOT, "%10.2fms", pct(ref, 99)),
                    ref.length == 0 ? "-" : String.format(Locale.ROOT, "%9.1fx", pct(ref, 50) / pct(tandem, 50)));
        }
    }

    /** Fills the store and times {@code MemoryService.search} in this JVM: the store's own share of a call. */
    private static double[] fillAndSearchInProcess(Path dir, List<String[]> corpus, List<String> qs)
            throws IOException {
        Path data = dir.resolve("home/.tandem/data");
        Files.createDirectories(data);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        List<HistoryEntry> entries = new ArrayList<>(corpus.size());
        for (int i = 0; i < corpus.size(); i++) {
            String[] doc = corpus.get(i);
            Instant at = t.plusSeconds(i);
            entries.add(new HistoryEntry(
                    new Memory(
                            "bench" + i,
                            1,
                            doc[0],
                            doc[1],
                            doc[0],
                            List.of("bench"),
                            Scope.SHARED,
                            "claude",
                            "box",
                            at,
                            at),
                    false));
        }
        try (MemoryService memories = MemoryService.open(new MemorySettings(data.resolve("memory.db"), "box", 65536))) {
            memories.importHistory(entries);
            Owner owner = memories.owner("claude");
            return measure(qs, q -> {
                memories.search(owner, q, List.of(), Optional.empty(), 10);
                return McpSchema.CallToolResult.builder().isError(false).build();
            });
        }
    }

    private static double[] tandem(Path dir, List<String> qs) {
        try (TestHub hub = TestHub.start(dir, "[memory]\nhost = \"box\"\n", null)) {
            McpSyncClient client = hub.client("claude-code");
            return measure(
                    qs,
                    q -> client.callTool(McpSchema.CallToolRequest.builder("memory_search")
                            .arguments(Map.of("query", q, "limit", 10))
                            .build()));
        }
    }

    private static double[] peer(Path dir, List<String[]> corpus, List<String> qs, String indexJs) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("memory.jsonl");
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < corpus.size(); i++) {
                Map<String, Object> entity = new LinkedHashMap<>();
                entity.put("type", "entity");
                entity.put("name", "memory-" + i);
                entity.put("entityType", "memory");
                entity.put("observations", List.of(corpus.get(i)[0] + ". " + corpus.get(i)[1]));
                w.write(JSON.writeValueAsString(entity));
                w.write('\n');
            }
        }
        ServerParameters params = ServerParameters.builder("node")
                .args(indexJs)
                .addEnvVar("MEMORY_FILE_PATH", file.toString())
                .build();
        McpSyncClient client = McpClient.sync(
                        new StdioClientTransport(params, McpJsonDefaults.getMapper(), PEER_MAX_RESPONSE))
                .requestTimeout(Duration.ofMinutes(5))
                .build();
        client.initialize();
        try {
            return measure(
                    qs,
                    q -> client.callTool(McpSchema.CallToolRequest.builder("search_nodes")
                            .arguments(Map.of("query", q))
                            .build()));
        } finally {
            client.closeGracefully();
        }
    }

    private static double[] measure(
            List<String> qs, java.util.function.Function<String, McpSchema.CallToolResult> call) {
        double[] out = new double[qs.size() - WARMUP];
        for (int i = 0; i < qs.size(); i++) {
            long start = System.nanoTime();
            McpSchema.CallToolResult r = call.apply(qs.get(i));
            long nanos = System.nanoTime() - start;
            if (Boolean.TRUE.equals(r.isError())) {
                throw new IllegalStateException("query '" + qs.get(i) + "' failed: " + r.content());
            }
            if (i >= WARMUP) {
                out[i - WARMUP] = nanos / 1e6;
            }
        }
        Arrays.sort(out);
        return out;
    }

    private static double pct(double[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** Returns pronounceable made-up words, so no query matches by accident of English. */
    public static String[] vocabulary() {
        Random r = new Random(7);
        String consonants = "bcdfghklmnprstvz";
        String vowels = "aeiou";
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        while (out.size() < VOCABULARY) {
            StringBuilder w = new StringBuilder();
            int syllables = 2 + r.nextInt(2);
            for (int s = 0; s < syllables; s++) {
                w.append(consonants.charAt(r.nextInt(consonants.length())))
                        .append(vowels.charAt(r.nextInt(vowels.length())));
            }
            out.add(w.toString());
        }
        return out.toArray(new String[0]);
    }

    /** Returns {title, content} pairs whose words follow a Zipf distribution over the vocabulary. */
    static List<String[]> corpus(String[] words, int size) {
        Random r = new Random(42);
        double[] cumulative = new double[words.length];
        double sum = 0;
        for (int i = 0; i < words.length; i++) {
            sum += 1.0 / (i + 1);
            cumulative[i] = sum;
        }
        List<String[]> out = new ArrayList<>(size);
        for (int d = 0; d < size; d++) {
            out.add(new String[] {sentence(r, words, cumulative, 4), sentence(r, words, cumulative, 40)});
        }
        return out;
    }

    private static String sentence(Random r, String[] words, double[] cumulative, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int at = Arrays.binarySearch(cumulative, r.nextDouble() * cumulative[cumulative.length - 1]);
            s.append(i == 0 ? "" : " ").append(words[Math.min(words.length - 1, at < 0 ? -at - 1 : at)]);
        }
        return s.toString();
    }

    /** Returns one-word queries from ranks 20 to 2000: words a person might look up, neither stop words nor noise. */
    static List<String> queries(String[] words, int n) {
        Random r = new Random(99);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(words[20 + r.nextInt(1980)]);
        }
        return out;
    }
}
