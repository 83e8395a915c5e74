package dev.tandem.hub.runs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One engine CLI process: started without a shell in a session of its own, fed on stdin, read line by line from
 * stdout with a cap on each line, the end of stderr kept, and ended with its whole tree.
 */
final class EngineProcess {
    private static final Logger LOG = Logger.getLogger(EngineProcess.class.getName());

    /** How long the reader waits for stdout to close after the process exited (a grandchild may hold it). */
    private static final Duration DRAIN = Duration.ofSeconds(2);

    /** How often the process's descendants are noted, so a crash cannot orphan them unseen. */
    private static final Duration WATCH = Duration.ofMillis(500);

    private final Process process;
    private final boolean ownSession;
    private final Duration killGrace;
    private final TailBuffer stderr;
    private final OutputStream stdin;
    private final CompletableFuture<Integer> exited = new CompletableFuture<>();
    private final Object writeLock = new Object();
    private boolean inputClosed;
    private volatile boolean stdoutDone;
    private final Map<Long, ProcessHandle> seen = new ConcurrentHashMap<>();
    /** Completed once the process is gone and what it left in its session or tree has been ended. */
    private final CompletableFuture<Void> settled = new CompletableFuture<>();

    private EngineProcess(Process process, boolean ownSession, Duration killGrace, int stderrTail) {
        this.process = process;
        this.ownSession = ownSession;
        this.killGrace = killGrace;
        this.stderr = new TailBuffer(stderrTail);
        this.stdin = process.getOutputStream();
    }

    /**
     * Starts {@code command} in {@code dir} with exactly {@code env}; hands each stdout line (cut at {@code
     * maxLineBytes}) to {@code lines} and, once stdout is done, the process gone and what it left running in its
     * session or tree ended, its exit code to {@code onExit}, both on one reader thread.
     *
     * @throws RunException when the program cannot be started
     */
    static EngineProcess start(
            List<String> command,
            Path dir,
            Map<String, String> env,
            RunSpec.Limits limits,
            Duration killGrace,
            Consumer<Line> lines,
            Consumer<Integer> onExit) {
        List<String> argv = new ArrayList<>();
        Optional<Path> setsid = ProcessTree.setsid();
        setsid.ifPresent(p -> {
            argv.add(p.toString());
            argv.add("--"); // the engine's program is never read as an option of setsid
        });
        argv.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new RunException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
        EngineProcess ep = new EngineProcess(p, setsid.isPresent(), killGrace, limits.stderrTailBytes());
        Thread.ofVirtual().name("engine-stderr-" + p.pid()).start(ep::pumpStderr);
        Thread.ofVirtual()
                .name("engine-stdout-" + p.pid())
                .start(() -> ep.pumpStdout(limits.maxLineBytes(), lines, onExit));
        Thread.ofVirtual().name("engine-exit-" + p.pid()).start(ep::drainAfterExit);
        Thread.ofVirtual().name("engine-watch-" + p.pid()).start(ep::watchTree);
        return ep;
    }

    /** A line of stdout; {@code cut} when it was longer than the cap and only its start is here. */
    record Line(String text, boolean cut, long bytes) {}

    long pid() {
        return process.pid();
    }

    Optional<Instant> startedAt() {
        return process.info().startInstant();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Returns the end of what the process wrote to stderr. */
    String stderrTail() {
        return stderr.text();
    }

    CompletableFuture<Integer> exited() {
        return exited;
    }

    /** Writes one line to stdin; false when stdin is closed (the process is gone or input was ended). */
    boolean writeLine(String line) {
        synchronized (writeLock) {
            if (inputClosed) {
                return false;
            }
            try {
                stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
                return true;
            } catch (IOException e) {
                inputClosed = true;
                return false;
            }
        }
    }

    /** Writes {@code text} to stdin and closes it (a prompt for a CLI that reads it to the end). */
    void writeAllAndClose(String text) {
        synchronized (writeLock) {
            try {
                stdin.write(text.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                LOG.log(Level.FINE, "stdin closed early", e);
            }
        }
        closeInput();
    }

    /** Closes stdin: an engine that reads its turns from there ends once it has finished the current one. */
    void closeInput() {
        synchronized (writeLock) {
            if (inputClosed) {
                return;
            }
            inputClosed = true;
            try {
                stdin.close();
            } catch (IOException e) {
                // already gone
            }
        }
    }

    /** Ends the process and its tree (SIGTERM, then SIGKILL after the grace period) and waits for that. */
    void killTree() {
        closeInput();
        ProcessTree.kill(
                process.toHandle(),
                ownSession ? OptionalLong.of(process.pid()) : OptionalLong.empty(),
                List.copyOf(seen.values()),
                killGrace);
    }

    /** Notes the process's descendants while it runs. */
    private void watchTree() {
        while (process.isAlive()) {
            process.descendants().forEach(h -> seen.putIfAbsent(h.pid(), h));
            seen.values().removeIf(h -> !h.isAlive());
            try {
                Thread.sleep(WATCH);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Once the process is gone, gives stdout a moment to close; what still holds it open, or still runs in its
     * session or tree (a helper it started, a shell's background job), is killed. The exit is reported only after
     * this, so nothing the engine left can write in its folder after the exit's look at it.
     */
    private void drainAfterExit() {
        try {
            process.waitFor();
            long deadline = System.nanoTime() + DRAIN.toNanos();
            while (!stdoutDone && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (stdoutDone
                    && seen.values().stream().noneMatch(ProcessHandle::isAlive)
                    && (!ownSession || ProcessTree.sessionMembers(process.pid()).isEmpty())) {
                return;
            }
            killTree();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            settled.complete(null);
        }
    }

    private void pumpStderr() {
        byte[] buf = new byte[8192];
        try (InputStream in = process.getErrorStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                stderr.write(buf, n);
            }
        } catch (IOException e) {
            // closed when the process ends
        }
    }

    private void pumpStdout(int maxLineBytes, Consumer<Line> lines, Consumer<Integer> onExit) {
        try (InputStream in = process.getInputStream()) {
            BoundedLines reader = new BoundedLines(in, maxLineBytes);
            for (Optional<Line> line = reader.next(); line.isPresent(); line = reader.next()) {
                try {
                    lines.accept(line.get());
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "a run's line handler failed; the run goes on", e);
                }
            }
        } catch (IOException e) {
            // closed when the process ends
        }
        stdoutDone = true;
        int code = awaitExit();
        awaitSettled();
        try {
            onExit.accept(code);
        } finally {
            exited.complete(code);
        }
    }

    /**
     * Waits, bounded, for what the process left behind to be ended: the drain, the kill's grace and its wait after
     * SIGKILL, with room to spare.
     */
    private void awaitSettled() {
        try {
            settled.get(DRAIN.plus(killGrace).multipliedBy(2).plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.WARNING, "ending what engine process " + process.pid() + " left running took too long", e);
        }
    }

    private int awaitExit() {
        try {
            // stdout may close before the process ends; it ends by itself or is killed
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killTree();
            return -1;
        }
    }
}
