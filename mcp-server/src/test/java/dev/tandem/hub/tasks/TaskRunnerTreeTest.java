package dev.tandem.hub.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.hub.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A timeout and {@link TaskRunner#stopAll()} end what a task started even after it left the task's process tree: a
 * shell's double fork re-parents its grandchild to init, out of reach of {@link ProcessHandle#descendants()}.
 */
class TaskRunnerTreeTest {
    /** Starts a grandchild whose parent exits at once, so it is nobody's descendant, and writes its pid. */
    private static final String ORPHAN = "( sleep 300 & echo $! > orphan.pid )";

    @TempDir
    Path root;

    private final List<ProcessHandle> started = new ArrayList<>();

    @AfterEach
    void endLeftovers() {
        started.forEach(ProcessHandle::destroyForcibly);
    }

    private TaskRunner runner(Duration timeout, String script) {
        TaskDefinition task =
                new TaskDefinition("t", "", List.of("sh", "-c", script), root, timeout, List.of("PATH"), 64 * 1024);
        return new TaskRunner(
                new TaskSettings(2, Duration.ofSeconds(2), Map.of("t", task)),
                List.of(root),
                Map.of("PATH", System.getenv("PATH")));
    }

    @Test
    void timeoutEndsAGrandchildThatWasReparentedOutOfTheTree() throws Exception {
        TaskResult r = runner(Duration.ofSeconds(2), ORPHAN + "; sleep 300").run("t", (s, l) -> {});

        assertTrue(r.timedOut(), r.toString());
        assertEnded("orphan.pid", "the re-parented grandchild");
    }

    @Test
    void stopAllEndsAGrandchildThatWasReparentedOutOfTheTree() throws Exception {
        TaskRunner runner = runner(Duration.ofMinutes(10), ORPHAN + "; sleep 300");
        ExecutorService caller = Executors.newVirtualThreadPerTaskExecutor();
        try {
            Future<TaskResult> run = caller.submit(() -> runner.run("t", (s, l) -> {}));
            ProcessHandle orphan = pid("orphan.pid");

            runner.stopAll();

            assertEnds(orphan, "the re-parented grandchild");
            TaskResult r = run.get(30, TimeUnit.SECONDS);
            assertTrue(r.hubStopped(), r.toString());
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void aDetachedChildForkedAfterSigtermIsEndedBySigkill() throws Exception {
        // on SIGTERM the shell starts another detached grandchild and carries on; only the SIGKILL ends it
        String script = "trap '( sleep 300 & echo $! > late.pid )' TERM; while :; do sleep 0.1; done";
        TaskResult r = runner(Duration.ofSeconds(1), script).run("t", (s, l) -> {});

        assertTrue(r.timedOut(), r.toString());
        assertEnded("late.pid", "the grandchild started after SIGTERM");
    }

    @Test
    void theOutputAndExitCodeOfATaskAreThoseOfItsProgram() {
        TaskResult r =
                runner(Duration.ofMinutes(1), "echo out; echo err >&2; exit 7").run("t", (s, l) -> {});

        assertEquals(7, r.exitCode());
        assertEquals("out\n", r.stdout().text());
        assertEquals("err\n", r.stderr().text());
    }

    /** Waits (bounded) for the pid a task writes in {@code name}, and returns its process. */
    private ProcessHandle pid(String name) throws IOException, InterruptedException {
        Path file = root.resolve(name);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(Files.exists(file) && Files.readString(file).endsWith("\n"))) {
            assertTrue(System.nanoTime() < deadline, name + " was not written within 30 s");
            Thread.sleep(20);
        }
        ProcessHandle p = ProcessHandle.of(Long.parseLong(Files.readString(file).strip()))
                .orElseThrow(() -> new AssertionError(name + ": the process had already ended"));
        started.add(p);
        return p;
    }

    /**
     * Asserts that the process whose pid a task wrote in {@code name} (proof that it started) has ended, or ends within
     * a bounded wait.
     */
    private void assertEnded(String name, String what) throws IOException, InterruptedException {
        Path file = root.resolve(name);
        assertTrue(Files.exists(file) && Files.readString(file).endsWith("\n"), name + " was not written");
        Optional<ProcessHandle> p =
                ProcessHandle.of(Long.parseLong(Files.readString(file).strip()));
        p.ifPresent(started::add);
        if (p.isPresent()) {
            assertEnds(p.get(), what);
        }
    }

    private static void assertEnds(ProcessHandle p, String what) throws InterruptedException {
        assertTrue(Processes.endsWithin(p, Duration.ofSeconds(3)), what + " (pid " + p.pid() + ") outlived the task");
    }
}
