package dev.tandem.hub.bench;

import dev.tandem.hub.TestHub;
import dev.tandem.hub.git.GitService;
import dev.tandem.hub.git.GitSettings;
import dev.tandem.hub.git.StatusReport;
import dev.tandem.hub.mcp.GitCapability;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Measures {@code git_status}'s service call against the {@code git status} CLI on the same repository, in the
 * same run, alternating the two. Not a test: run it through {@code bench/git-status.sh}.
 *
 * <p>Arguments: the repository, the number of measured rounds (default 30).
 */
public final class GitStatusBench {
    private GitStatusBench() {}

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(args[0]).toRealPath();
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        GitService git = new GitService(List.of(repo.getParent()), GitSettings.defaults(repo));
        Optional<String> dir = Optional.of(repo.toString());
        StatusReport first = git.status(dir, 500);
        System.out.printf(
                Locale.ROOT,
                "repository %s: staged %d, unstaged %d, untracked %d%n",
                repo,
                first.staged().size(),
                first.unstaged().size(),
                first.untracked().size());
        for (int i = 0; i < 5; i++) {
            git.status(dir, 500);
            cli(repo);
        }
        Path hubDir = java.nio.file.Files.createTempDirectory("tandem-bench-hub");
        java.nio.file.Files.createDirectories(hubDir.resolve("root"));
        GitService viaHub = new GitService(List.of(repo.getParent()), GitSettings.defaults(repo));
        List<Long> mcp = new ArrayList<>();
        try (TestHub server = TestHub.start(hubDir, List.of(new GitCapability(viaHub)))) {
            McpSyncClient client = server.client("bench");
            McpSchema.CallToolRequest call = McpSchema.CallToolRequest.builder("git_status")
                    .arguments(java.util.Map.of("dir", repo.toString()))
                    .build();
            for (int i = 0; i < 3; i++) {
                client.callTool(call);
            }
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                McpSchema.CallToolResult r = client.callTool(call);
                mcp.add(System.nanoTime() - t0);
                if (Boolean.TRUE.equals(r.isError())) {
                    throw new IllegalStateException(r.content().toString());
                }
            }
        }
        List<Long> hub = new ArrayList<>();
        List<Long> cli = new ArrayList<>();
        long hubTicks = 0;
        long cliTicks = 0;
        for (int i = 0; i < rounds; i++) {
            long[] c0 = cpuTicks();
            long t0 = System.nanoTime();
            git.status(dir, 500);
            hub.add(System.nanoTime() - t0);
            long[] c1 = cpuTicks();
            long t1 = System.nanoTime();
            cli(repo);
            cli.add(System.nanoTime() - t1);
            long[] c2 = cpuTicks();
            hubTicks += c1[0] - c0[0];
            cliTicks += c2[1] - c1[1];
        }
        report("git_status (JGit, in the hub)", hub);
        report("git status --porcelain=v2 --branch", cli);
        report("git_status via MCP (HTTP, SDK client)", mcp);
        System.out.printf(Locale.ROOT, "ratio p50 hub/cli: %.2f%n", (double) pct(hub, 50) / pct(cli, 50));
        // CPU time is steadier than wall time on a shared machine: the JVM's own ticks vs its waited-for children's
        System.out.printf(
                Locale.ROOT,
                "cpu per call: hub %.0f ms (whole JVM), cli %.0f ms; ratio %.2f%n",
                hubTicks * 10.0 / rounds,
                cliTicks * 10.0 / rounds,
                cliTicks == 0 ? Double.NaN : (double) hubTicks / cliTicks);
        git.close();
    }

    private static void cli(Path repo) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("git", "-C", repo.toString(), "status", "--porcelain=v2", "--branch")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("git status failed");
        }
    }

    /** Returns {utime+stime, cutime+cstime} of this JVM in clock ticks (USER_HZ, 100 on Linux). */
    private static long[] cpuTicks() throws IOException {
        String stat = java.nio.file.Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
        // after the command name: f[0] is field 3 (state); utime, stime, cutime, cstime are fields 14-17
        return new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[13]) + Long.parseLong(f[14])
        };
    }

    private static void report(String what, List<Long> nanos) {
        System.out.printf(
                Locale.ROOT,
                "%-40s p50 %7.1f ms  p90 %7.1f ms  p99 %7.1f ms  (n=%d)%n",
                what,
                pct(nanos, 50) / 1e6,
                pct(nanos, 90) / 1e6,
                pct(nanos, 99) / 1e6,
                nanos.size());
    }

    private static long pct(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }
}
