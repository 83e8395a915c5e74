package dev.tandem.hub.fs;

import dev.tandem.hub.TestHub;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Times {@code fs_search} through a real hub against {@code rg -n} on the same tree in the same run.
 *
 * <p>Run by {@code bench/fs-search.sh}: {@code FsSearchBench DIR RUNS} where {@code DIR/root} holds the tree.
 * Not a test: it prints a Markdown table and asserts nothing about time.
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
        System.out.println(
                "| query | matching lines (fs_search / rg) | fs_search p50 | fs_search max | rg p50 | rg max | "
                        + "ratio p50 |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        try (TestHub hub = TestHub.start(dir)) {
            McpSyncClient client = hub.client("bench");
            for (Query q : queries) {
                for (int i = 0; i < 3; i++) { // warm the JIT and the page cache for both
                    tool(client, q);
                    rg(tree, q);
                }
                List<Double> toolMs = new ArrayList<>();
                List<Double> rgMs = new ArrayList<>();
                int toolCount = 0;
                int rgCount = 0;
                for (int i = 0; i < runs; i++) {
                    long t0 = System.nanoTime();
                    toolCount = tool(client, q);
                    toolMs.add((System.nanoTime() - t0) / 1e6);
                    long t1 = System.nanoTime();
                    rgCount = rg(tree, q);
                    rgMs.add((System.nanoTime() - t1) / 1e6);
                }
                Collections.sort(toolMs);
                Collections.sort(rgMs);
                double toolP50 = toolMs.get(runs / 2);
                double rgP50 = rgMs.get(runs / 2);
                System.out.printf(
                        Locale.ROOT,
                        "| %s | %d / %d | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %.2f× |%n",
                        q.label(),
                        toolCount,
                        rgCount,
                        toolP50,
                        toolMs.get(runs - 1),
                        rgP50,
                        rgMs.get(runs - 1),
                        toolP50 / rgP50);
            }
        }
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

    /** Runs {@code rg -n} and reads all its output, as a client of rg would. */
    private static int rg(Path tree, Query q) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("rg", "-n", "--no-messages"));
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
