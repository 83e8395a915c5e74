package dev.tandem.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

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
