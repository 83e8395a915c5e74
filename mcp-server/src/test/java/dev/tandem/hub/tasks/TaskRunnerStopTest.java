package dev.tandem.hub.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.hub.Processes;
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
        TaskRunner runner =
                runner("slow", "trap '' TERM; sleep 300 & echo $! > child.pid; wait", Duration.ofSeconds(1));
        ExecutorService caller = Executors.newVirtualThreadPerTaskExecutor();
        try {
            Future<TaskResult> run = caller.submit(() -> runner.run("slow", (stream, line) -> {}));
            ProcessHandle child =
                    Processes.awaitPid(root.resolve("child.pid"), "the task did not start its child within 30 s");

            runner.stopAll();

            assertTrue(
                    Processes.endsWithin(child, Duration.ofSeconds(2)),
                    "the child that ignored SIGTERM got SIGKILL before stopAll returned");
            TaskResult r = run.get(30, TimeUnit.SECONDS);
            assertTrue(r.hubStopped(), r.toString());
            assertFalse(r.timedOut(), r.toString());
            TaskException refused = assertThrows(TaskException.class, () -> runner.run("slow", (s, l) -> {}));
            assertEquals("the hub is stopping; task 'slow' was not started", refused.getMessage());
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void stopAllLeavesARunWhoseProcessHadAlreadyExitedAsItEnded() throws Exception {
        // the task exits at once; its background sleep keeps the output open, so the run is still being collected
        TaskRunner runner = runner("quick", "echo $$ > task.pid; sleep 3 & exit 0", Duration.ofSeconds(5));
        ExecutorService caller = Executors.newVirtualThreadPerTaskExecutor();
        try {
            Future<TaskResult> run = caller.submit(() -> runner.run("quick", (stream, line) -> {}));
            Path pidFile = root.resolve("task.pid");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(Files.exists(pidFile) && Files.readString(pidFile).endsWith("\n"))) {
                assertTrue(System.nanoTime() < deadline, "the task did not start within 30 s");
                Thread.sleep(20);
            }
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            ProcessHandle.of(pid).ifPresent(task -> assertTrue(uncheckedEnds(task), "the task did not exit"));
            assertFalse(run.isDone(), "the run ended before the stop; the sleep should hold its output open");

            runner.stopAll();

            TaskResult r = run.get(30, TimeUnit.SECONDS);
            assertEquals(0, r.exitCode(), r.toString());
            assertFalse(r.hubStopped(), r.toString());
        } finally {
            caller.shutdownNow();
        }
    }

    /** Returns a runner in {@code root} of the one task {@code name}, which runs {@code sh -c script}. */
    private TaskRunner runner(String name, String script, Duration killGrace) {
        TaskDefinition task = new TaskDefinition(
                name, "", List.of("sh", "-c", script), root, Duration.ofMinutes(10), List.of("PATH"), 64 * 1024);
        return new TaskRunner(
                new TaskSettings(2, killGrace, Map.of(name, task)),
                List.of(root),
                Map.of("PATH", System.getenv("PATH")));
    }

    private static boolean uncheckedEnds(ProcessHandle p) {
        try {
            return Processes.endsWithin(p, Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
