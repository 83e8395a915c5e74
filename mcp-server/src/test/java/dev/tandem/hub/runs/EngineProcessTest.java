package dev.tandem.hub.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineProcessTest {
    @TempDir
    Path dir;

    @Test
    void theExitComesOnlyAfterWhatTheEngineLeftRunningIsEnded() throws Exception {
        assumeTrue(ProcessTree.setsid().isPresent(), "needs setsid");
        // a background job that holds neither stdout nor stderr: stdout closes as the engine exits
        String script = "nohup sh -c 'sleep 30; echo x > .envrc' >/dev/null 2>&1 &\necho done\nexit 3";
        List<String> lines = new CopyOnWriteArrayList<>();
        AtomicReference<List<Long>> leftAtExit = new AtomicReference<>();
        AtomicReference<Long> pid = new AtomicReference<>();
        Object started = new Object();
        EngineProcess p;
        synchronized (started) {
            p = EngineProcess.start(
                    List.of("/bin/sh", "-c", script),
                    dir,
                    Map.of("PATH", "/usr/bin:/bin"),
                    RunSpec.Limits.DEFAULT,
                    Duration.ofSeconds(1),
                    l -> lines.add(l.text()),
                    code -> {
                        synchronized (started) {
                            leftAtExit.set(ProcessTree.sessionMembers(pid.get()));
                        }
                    });
            pid.set(p.pid());
        }
        int code = p.exited().get(30, TimeUnit.SECONDS);
        assertEquals(3, code);
        assertEquals(List.of("done"), lines);
        assertTrue(
                leftAtExit.get().isEmpty(),
                "the exit was reported while the engine's session still had " + leftAtExit.get());
    }

    @Test
    void anEngineThatLeavesNothingExitsWithItsCode() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        AtomicReference<Integer> seen = new AtomicReference<>();
        EngineProcess p = EngineProcess.start(
                List.of("/bin/sh", "-c", "echo one; echo two"),
                dir,
                Map.of("PATH", "/usr/bin:/bin"),
                RunSpec.Limits.DEFAULT,
                Duration.ofSeconds(1),
                l -> lines.add(l.text()),
                seen::set);
        assertEquals(0, p.exited().get(30, TimeUnit.SECONDS));
        assertEquals(0, seen.get());
        assertEquals(List.of("one", "two"), lines);
    }
}
