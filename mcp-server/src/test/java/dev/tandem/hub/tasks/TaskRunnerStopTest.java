package dev.tandem.hub.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TaskRunner#stopAll()}, which the hub calls first when it stops. */
class TaskRunnerStopTest {
    @TempDir
    Path root;

    @Test
    void stopAllEndsARunningTreeThatIgnoresSigtermMarksItsResultAndRefusesNewRuns() throws Exception {
        TaskDefinition slow = new TaskDefinition(
                "slow",
                "",
                List.of("sh", "-c", "trap '' TERM; sleep 300 & echo $! > child.pid; wait"),
                root,
                Duration.ofMinutes(10),
                List.of("PATH"),
                64 * 1024);
        TaskRunner runner = new TaskRunner(
                new TaskSettings(2, Duration.ofSeconds(1), Map.of("slow", slow)),
                List.of(root),
                Map.of("PATH", System.getenv("PATH")));
        ExecutorService caller = Executors.newVirtualThreadPerTaskExecutor();
        try {
            Future<TaskResult> run = caller.submit(() -> runner.run("slow", (stream, line) -> {}));
            Path pidFile = root.resolve("child.pid");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(Files.exists(pidFile) && !Files.readString(pidFile).isBlank())) {
                assertTrue(System.nanoTime() < deadline, "the task did not start its child within 30 s");
                Thread.sleep(20);
            }
            ProcessHandle child = ProcessHandle.of(
                            Long.parseLong(Files.readString(pidFile).strip()))
                    .orElseThrow();

            runner.stopAll();

            assertTrue(ended(child), "the child that ignored SIGTERM got SIGKILL before stopAll returned");
            TaskResult r = run.get(30, TimeUnit.SECONDS);
            assertTrue(r.hubStopped(), r.toString());
            assertFalse(r.timedOut(), r.toString());
            TaskException refused = assertThrows(TaskException.class, () -> runner.run("slow", (s, l) -> {}));
            assertEquals("the hub is stopping; task 'slow' was not started", refused.getMessage());
        } finally {
            caller.shutdownNow();
        }
    }

    /**
     * Returns whether the process has ended: gone, or a zombie (killed after its parent died, it waits for whoever
     * adopted it to reap it, and {@link ProcessHandle#isAlive()} still says true of it). SIGKILL is delivered at
     * once, so a short bounded wait is enough.
     */
    private static boolean ended(ProcessHandle p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        do {
            if (!p.isAlive()) {
                return true;
            }
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
                if (stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z")) {
                    return true;
                }
            } catch (java.io.IOException e) {
                return true;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return false;
    }
}
