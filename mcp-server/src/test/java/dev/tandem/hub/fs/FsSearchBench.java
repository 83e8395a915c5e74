package dev.tandem.hub.fs;

import dev.tandem.hub.TestHub;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Times {@code fs_search} through a real hub against {@code rg -n} on the same tree in the same run.
 *
 * <p>Run by {@code bench/fs-search.sh}: {@code FsSearchBench DIR RUNS [THREADS]} where {@code DIR/root} holds the
 * tree and THREADS sets {@code [fs] search_threads} (default: the number of processors).
 * Not a test: it prints a Markdown table and asserts nothing about time. CPU is user + system time: for
 * fs_search the hub JVM's (the SDK client runs in it too), for rg what {@code /usr/bin/time} reports.
 */
public final class FsSearchBench {
    private FsSearchBench() {}

    private record Query(String label, String text, boolean regex) {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]).toAbsolutePath();
        int runs = Integer.parseInt(args[1]);
        Path tree = dir.resolve("root");
        List<Query> queries = List.of(
                new Query("literal `ConcurrentHashMap`", "ConcurrentHashMap", false),
                new Query("regex `synchronized\\s*\\(\\s*this\\s*\\)`", "synchronized\\s*\\(\\s*this\\s*\\)", true),
                new Query(
                        "regex `\\b(public|protected)\\s+static\\s+final\\s+\\w+\\s+[A-Z_]{20,}\\b`",
                        "\\b(public|protected)\\s+static\\s+final\\s+\\w+\\s+[A-Z_]{20,}\\b",
                        true));
        System.out.println("| query | matching lines (fs_search / rg) | fs_search wall p50 / max | rg wall p50 / max "
                + "| wall ratio p50 | fs_search CPU p50 | rg CPU p50 | CPU ratio p50 |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
        String toml = args.length > 2 ? "[fs]\nsearch_threads = " + Integer.parseInt(args[2]) + "\n" : null;
        try (TestHub hub = TestHub.start(dir, toml, null)) {
            McpSyncClient client = hub.client("bench");
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            Path cpuFile = Files.createTempFile("rg-cpu", ".txt");
            for (Query q : queries) {
                for (int i = 0; i < 3; i++) { // warm the JIT and the page cache for both
                    tool(client, q);
                    rg(tree, q, cpuFile);
                }
                List<Double> toolMs = new ArrayList<>();
                List<Double> rgMs = new ArrayList<>();
                List<Double> toolCpu = new ArrayList<>();
                List<Double> rgCpu = new ArrayList<>();
                int toolCount = 0;
                int rgCount = 0;
                for (int i = 0; i < runs; i++) {
                    long c0 = os.getProcessCpuTime();
                    long t0 = System.nanoTime();
                    toolCount = tool(client, q);
                    toolMs.add((System.nanoTime() - t0) / 1e6);
                    toolCpu.add((os.getProcessCpuTime() - c0) / 1e6);
                    long t1 = System.nanoTime();
                    rgCount = rg(tree, q, cpuFile);
                    rgMs.add((System.nanoTime() - t1) / 1e6);
                    rgCpu.add(cpuMillis(cpuFile));
                }
                System.out.printf(
                        Locale.ROOT,
                        "| %s | %d / %d | %.0f / %.0f ms | %.0f / %.0f ms | %.2f× | %.0f ms | %.0f ms | %.2f× |%n",
                        q.label(),
                        toolCount,
                        rgCount,
                        p50(toolMs),
                        Collections.max(toolMs),
                        p50(rgMs),
                        Collections.max(rgMs),
                        p50(toolMs) / p50(rgMs),
                        p50(toolCpu),
                        p50(rgCpu),
                        p50(toolCpu) / p50(rgCpu));
            }
        }
    }

    private static double p50(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /** Returns user + system CPU of the last rg run, as written by {@code /usr/bin/time -f "%U %S"}. */
    private static double cpuMillis(Path cpuFile) throws IOException {
        List<String> lines = Files.readAllLines(cpuFile);
        java.util.Scanner last = new java.util.Scanner(lines.get(lines.size() - 1)).useLocale(Locale.ROOT);
        return (last.nextDouble() + last.nextDouble()) * 1000;
    }

    private static int tool(McpSyncClient client, Query q) {
        McpSchema.CallToolResult r = client.callTool(McpSchema.CallToolRequest.builder("fs_search")
                .arguments(Map.of("query", q.text(), "regex", q.regex(), "max_results", 1_000_000))
                .build());
        if (Boolean.TRUE.equals(r.isError())) {
            throw new IllegalStateException(r.content().toString());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> out = (Map<String, Object>) r.structuredContent();
        return ((List<?>) out.get("matches")).size();
    }

    /** Runs {@code rg -n} under {@code /usr/bin/time} and reads all its output, as a client of rg would. */
    private static int rg(Path tree, Query q, Path cpuFile) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(
                List.of("/usr/bin/time", "-f", "%U %S", "-o", cpuFile.toString(), "rg", "-n", "--no-messages"));
        if (!q.regex()) {
            cmd.add("-F");
        }
        cmd.add("-e");
        cmd.add(q.text());
        cmd.add(".");
        Process p = new ProcessBuilder(cmd)
                .directory(tree.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        int lines = 0;
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            while (in.readLine() != null) {
                lines++;
            }
        }
        p.waitFor();
        return lines;
    }
}
