package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A task running when {@code tandem serve} is stopped ends with the hub: the task and every process it started. */
class TaskTreeEndsWithHubTest {
    @TempDir
    Path home;

    private Optional<ProcessHandle> task = Optional.empty();
    private Optional<ProcessHandle> child = Optional.empty();

    @AfterEach
    void endLeftovers() {
        child.ifPresent(ProcessHandle::destroyForcibly);
        task.ifPresent(ProcessHandle::destroyForcibly);
    }

    @Test
    void sigtermToTheHubEndsARunningTaskAndTheProcessItStartedEvenIfTheyIgnoreSigterm() throws Exception {
        Path work = Files.createDirectories(home.resolve("work"));
        // the task writes its pid, starts a child that writes its own, and waits for it; both ignore SIGTERM
        // (SIG_IGN is inherited across exec), so only the SIGKILL after the grace (5 s by default) ends them
        Path script = work.resolve("slow.sh");
        Files.writeString(script, """
                trap '' TERM
                echo $$ > task.pid
                sleep 300 &
                echo $! > child.pid
                wait
                """);
        assertSigtermToTheHubEndsTheTaskAnd("the task's child", work, "slow", script);
    }

    @Test
    void sigtermToTheHubEndsAProcessTheTaskDetachedFromItsTree() throws Exception {
        Path work = Files.createDirectories(home.resolve("work"));
        // a double fork: the grandchild's parent exits at once, so init adopts it and it is nobody's descendant
        Path script = work.resolve("detach.sh");
        Files.writeString(script, """
                echo $$ > task.pid
                ( sleep 300 & echo $! > child.pid )
                sleep 300
                """);
        assertSigtermToTheHubEndsTheTaskAnd("the process the task detached", work, "detach", script);
    }

    /**
     * Serves a hub rooted at {@code work} whose task {@code name} runs {@code script}, runs the task, waits for the
     * pids it writes ({@code task.pid}, {@code child.pid}), stops the hub with SIGTERM, and asserts that the task and
     * its child ({@code childWhat}) are gone.
     */
    private void assertSigtermToTheHubEndsTheTaskAnd(String childWhat, Path work, String name, Path script)
            throws Exception {
        Path config = home.resolve("hub.toml");
        Files.writeString(config, """
                [fs]
                roots = ["work"]
                [tasks.%s]
                argv = ["sh", "%s"]
                env = ["PATH"]
                timeout = 600
                """.formatted(name, script));
        try (ChildHub hub = ChildHub.serve(home, config, work)) {
            int port = hub.port();
            String token = Files.readString(home.resolve(".tandem/token")).strip();
            McpSyncClient agent = ChildHub.client(port, token, "claude-code", Duration.ofMinutes(10));
            // its own thread: the call blocks until the hub goes, and must not hold a shared pool's thread
            ExecutorService caller = Executors.newVirtualThreadPerTaskExecutor();
            Future<McpSchema.CallToolResult> call =
                    caller.submit(() -> agent.callTool(McpSchema.CallToolRequest.builder("task_run")
                            .arguments(Map.of("name", name))
                            .build()));

            task = Optional.of(pid(work.resolve("task.pid"), hub));
            child = Optional.of(pid(work.resolve("child.pid"), hub));

            hub.process.destroy(); // SIGTERM, as ^C in a terminal or a service manager stops `tandem serve`
            hub.waitFor(30);

            // the hub ends them before it exits: the wait below only lets the kernel finish what was sent
            assertGone(child.orElseThrow(), childWhat);
            assertGone(task.orElseThrow(), "the task");
            call.cancel(true);
            caller.shutdownNow();
            agent.close();
        }
    }

    /** Waits (bounded) for the pid the task writes in {@code file}, and returns its running process. */
    private static ProcessHandle pid(Path file, ChildHub hub) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String text = Files.exists(file) ? Files.readString(file).strip() : "";
            if (!text.isEmpty()) {
                return ProcessHandle.of(Long.parseLong(text))
                        .orElseThrow(() -> new AssertionError(file + ": the process is not running"));
            }
            assertTrue(hub.process.isAlive(), hub::stderrSoFar);
            Thread.sleep(20);
        }
        throw new AssertionError(file + " was not written within 30 s: " + hub.stderrSoFar());
    }

    /**
     * Asserts the process ends within a bounded wait. A process killed after its parent exited stays a zombie until
     * whoever adopted it reaps it, and a zombie still answers {@code kill(pid, 0)}: it counts as gone.
     */
    static void assertGone(ProcessHandle p, String what) throws Exception {
        if (!Processes.endsWithin(p, Duration.ofSeconds(2))) {
            throw new AssertionError(what + " (pid " + p.pid() + ") outlived the hub");
        }
    }
}
