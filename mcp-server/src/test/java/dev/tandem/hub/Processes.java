package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Waits on processes the tests started through the hub (a task's tree), without a fixed sleep as an assertion. */
public final class Processes {
    private Processes() {}

    /**
     * Returns whether {@code p} ends within {@code wait}: gone, or a zombie. A process killed after its parent exited
     * stays a zombie until whoever adopted it reaps it, and {@link ProcessHandle#isAlive()} still says true of it.
     */
    public static boolean endsWithin(ProcessHandle p, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        do {
            if (ended(p)) {
                return true;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return false;
    }

    /**
     * Returns the process whose pid a task writes to {@code file}, waiting up to 30 s for the file to hold it;
     * fails with {@code notWritten} when it does not, or when that process is no longer running.
     */
    public static ProcessHandle awaitPid(Path file, String notWritten) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(Files.exists(file) && !Files.readString(file).isBlank())) {
            assertTrue(System.nanoTime() < deadline, notWritten);
            Thread.sleep(20);
        }
        return ProcessHandle.of(Long.parseLong(Files.readString(file).strip())).orElseThrow();
    }

    private static boolean ended(ProcessHandle p) {
        if (ProcessHandle.of(p.pid()).filter(ProcessHandle::isAlive).isEmpty()) {
            return true;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
            // the state follows the command name, which is in parentheses and may hold spaces
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true; // the process table no longer has it
        }
    }
}
