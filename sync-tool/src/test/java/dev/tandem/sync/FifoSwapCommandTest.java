package dev.tandem.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.sync.engine.FifoSwapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deployed skill file, or its folder, that an agent running as the person swaps for a FIFO again and again while
 * {@code tandem sync} runs: every command finishes, done (exit 0) or refused (exit 2) with an error naming the file or
 * its folder; none waits on the FIFO. (The swap also takes the name away for a moment, which some steps report as
 * the file missing.)
 */
class FifoSwapCommandTest {
    /** How long commands are run while the swapper runs. */
    static final Duration RUNNING = Duration.ofSeconds(6);
    /** All commands end well within this; one left waiting on a FIFO never ends. */
    static final Duration ALL_RUNS = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void pushAndPullWhileADeployedSkillFileIsSwappedForAFifoNeverHang() throws Exception {
        Sandbox s = new Sandbox(dir);
        assertEquals(0, s.run("push-runtime").exit());
        Path skill = s.claude("skills/recall/SKILL.md");
        try (FifoSwapper swapper =
                new FifoSwapper(skill, FifoSwapper.mkfifo(dir.resolve("spare-fifo")), dir.resolve("held"))) {
            swapper.start();
            everyRunFinishes(s, skill);
            assertTrue(swapper.swaps() > 0, "the file was swapped");
        }
    }

    @Test
    void pushAndPullWhileADeployedSkillFolderIsSwappedForAFifoNeverHang() throws Exception {
        Sandbox s = new Sandbox(dir);
        assertEquals(0, s.run("push-runtime").exit());
        Path folder = s.claude("skills/recall");
        try (FifoSwapper swapper =
                new FifoSwapper(folder, FifoSwapper.mkfifo(dir.resolve("spare-fifo")), dir.resolve("held"))) {
            swapper.start();
            everyRunFinishes(s, folder);
            assertTrue(swapper.swaps() > 0, "the folder was swapped");
        }
    }

    private static void everyRunFinishes(Sandbox s, Path swapped) {
        AtomicInteger runs = new AtomicInteger();
        assertTimeoutPreemptively(ALL_RUNS, () -> {
            long end = System.nanoTime() + RUNNING.toNanos();
            while (System.nanoTime() < end) {
                for (String command : new String[] {"push-runtime", "pull-runtime"}) {
                    Sandbox.Result r = s.run(command);
                    if (r.exit() != 0) {
                        assertEquals(2, r.exit(), command + ": " + r.out() + r.err());
                        assertTrue(r.err().contains(swapped.toString()), command + ": " + r.err());
                    }
                    runs.incrementAndGet();
                }
            }
        });
        assertTrue(runs.get() > 0, "commands were run");
    }
}
