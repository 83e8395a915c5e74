package dev.tandem.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 1.6 MB {@code config.toml} (Codex writes a {@code [projects."…"]} table for every folder it was trusted in)
 * used to take gigabytes to sync: every parse kept a parse tree node per character. The sync tool now runs in a
 * forked JVM with a 64 MB heap.
 */
class LargeConfigTest {
    private static final String HEAP = "-Xmx64m";

    @Test
    void pushAndCheckSyncOfA16MegabyteConfigFitInA64MegabyteHeap(@TempDir Path tmp) throws Exception {
        Sandbox s = new Sandbox(tmp);
        StringBuilder toml = new StringBuilder("model = \"o3\"\n\n[mcp_servers.github]\ncommand = \"npx\"\n\n");
        for (int i = 0; toml.length() < 1_600_000; i++) {
            toml.append("[projects.\"/home/me/code/project-").append(i).append("\"]\ntrust_level = \"trusted\"\n\n");
        }
        s.write(s.codex("config.toml"), toml.toString());

        Result push = fork(s, "push-runtime");
        assertEquals(0, push.exit(), push.output());
        String pushed = s.read(s.codex("config.toml"));
        assertTrue(pushed.startsWith(toml.toString()), "the person's 1.6 MB are kept byte for byte");
        assertTrue(pushed.contains("[mcp_servers.tandem]"), "the block is there");
        Result check = fork(s, "check-sync");
        assertEquals(0, check.exit(), check.output());
    }

    private record Result(int exit, String output) {}

    private static Result fork(Sandbox s, String command) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, HEAP, "-cp", System.getProperty("java.class.path")));
        cmd.addAll(List.of(
                SyncMain.class.getName(),
                "sync",
                command,
                "--engine",
                "codex",
                "--home",
                s.home.toString(),
                "--repo",
                s.repo.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("TANDEM_") || k.equals("CODEX_HOME"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        String tail = out.length() > 2000 ? out.substring(out.length() - 2000) : out;
        return new Result(p.exitValue(), tail);
    }
}
