package dev.tandem.hub.tasks;

import dev.tandem.hub.auth.HubSecrets;
import dev.tandem.hub.runs.ProcessTree;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the configured tasks: no shell, a filtered environment, each in a session of its own, a timeout that kills
 * that session and the process tree, the end of the output kept, and at most {@code max_concurrent} at once (further
 * calls are refused, not queued). {@link #stopAll()}, when the hub stops, kills every running task the same way and
 * refuses new runs.
 */
public final class TaskRunner {
    private static final Logger LOG = Logger.getLogger(TaskRunner.class.getName());
    private static final int MAX_LINE = 4096;

    private final TaskSettings settings;
    private final List<Path> roots;
    private final Map<String, String> environment;
    private final Semaphore slots;
    private final Set<Run> running = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    /** A started task's process, and who ended it: itself (or its timeout), or the hub's stop. */
    private static final class Run {
        final Process process;
        final OptionalLong session;
        private final AtomicReference<End> end = new AtomicReference<>(End.RUNNING);

        Run(Process process, boolean ownSession) {
            this.process = process;
            this.session = ownSession ? OptionalLong.of(process.pid()) : OptionalLong.empty();
        }

        /**
         * Claims the run for the hub's stop; false when it has already ended (or timed out) by itself, the exit not
         * yet collected included.
         */
        boolean stopByHub() {
            return process.isAlive()
                    && !ProcessTree.exited(process.pid())
                    && end.compareAndSet(End.RUNNING, End.HUB_STOPPED);
        }

        /** Notes that the process ended, or timed out, before the hub's stop reached it. */
        void ended() {
            end.compareAndSet(End.RUNNING, End.BY_ITSELF);
        }

        boolean stoppedByHub() {
            return end.get() == End.HUB_STOPPED;
        }
    }

    private enum End {
        RUNNING,
        BY_ITSELF,
        HUB_STOPPED
    }

    /**
     * Creates a runner.
     *
     * @param environment the hub's environment, from which each task's allow-list picks
     */
    public TaskRunner(TaskSettings settings, List<Path> roots, Map<String, String> environment) {
        this.settings = settings;
        this.roots = List.copyOf(roots);
        this.environment = Map.copyOf(environment);
        this.slots = new Semaphore(settings.maxConcurrent());
    }

    /** Returns the configured tasks in file order. */
    public List<TaskDefinition> list() {
        return List.copyOf(settings.tasks().values());
    }

    public TaskSettings settings() {
        return settings;
    }

    /** Runs the task {@code name} to its end (or timeout), sending each output line to {@code listener}. */
    public TaskResult run(String name, OutputListener listener) {
        TaskDefinition task = Optional.ofNullable(settings.tasks().get(name))
                .orElseThrow(() -> new TaskException("no task named '" + name + "'; configured: "
                        + (settings.tasks().isEmpty()
                                ? "none"
                                : String.join(", ", settings.tasks().keySet()))));
        if (stopping) {
            throw new TaskException("the hub is stopping; task '" + name + "' was not started");
        }
        if (!slots.tryAcquire()) {
            throw new TaskException(settings.maxConcurrent() + " tasks are already running ([tasks] max_concurrent = "
                    + settings.maxConcurrent() + "); run '" + name + "' again when one has finished");
        }
        try {
            return execute(task, listener);
        } finally {
            slots.release();
        }
    }

    private TaskResult execute(TaskDefinition task, OutputListener listener) {
        Path cwd;
        try {
            cwd = TaskDirs.insideRoots(task.cwd(), roots);
        } catch (IOException e) {
            throw new TaskException("task '" + task.name() + "': cwd '" + task.cwd() + "': " + e.getMessage(), e);
        } catch (TaskException e) {
            throw new TaskException("task '" + task.name() + "': cwd " + e.getMessage(), e);
        }
        TaskLaunch launch = TaskLaunch.of(task.argv(), cwd, System.getenv("PATH"));
        ProcessBuilder pb = new ProcessBuilder(launch.command()).directory(cwd.toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        for (String key : task.env()) {
            // a task's output reaches the agent: the hub's own secrets are never passed, even when listed
            String value = HubSecrets.isSecret(key) ? null : environment.get(key);
            if (value != null) {
                env.put(key, value);
            }
        }
        long started = System.nanoTime();
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new TaskException(
                    "task '" + task.name() + "': cannot start '" + task.argv().get(0) + "': " + e.getMessage(), e);
        }
        Run run = new Run(process, launch.ownSession());
        running.add(run);
        try {
            return collect(task, run, started, listener);
        } finally {
            running.remove(run);
        }
    }

    private TaskResult collect(TaskDefinition task, Run run, long started, OutputListener listener) {
        Process process = run.process;
        if (stopping && run.stopByHub()) {
            // stopAll() took its list before this run was added: end it here
            endTree(run);
        }
        TailBuffer out = new TailBuffer(task.outputCapBytes());
        TailBuffer err = new TailBuffer(task.outputCapBytes());
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // the task gets no input either way
        }
        Thread outPump = Thread.ofVirtual().start(() -> pump(process.getInputStream(), out, "stdout", listener));
        Thread errPump = Thread.ofVirtual().start(() -> pump(process.getErrorStream(), err, "stderr", listener));
        boolean timedOut;
        try {
            timedOut = !process.waitFor(task.timeout().toMillis(), TimeUnit.MILLISECONDS);
            run.ended();
            if (timedOut) {
                endTree(run);
            }
            // a grandchild that escaped the kill may hold the pipes open: do not wait for it forever
            outPump.join(settings.killGrace().plusSeconds(1));
            errPump.join(settings.killGrace().plusSeconds(1));
        } catch (InterruptedException e) {
            endTree(run);
            Thread.currentThread().interrupt();
            throw new TaskException("task '" + task.name() + "' was interrupted and has been stopped", e);
        }
        Duration duration = Duration.ofNanos(System.nanoTime() - started);
        return new TaskResult(
                task.name(),
                process.isAlive() ? -1 : process.exitValue(),
                duration,
                timedOut,
                !timedOut && run.stoppedByHub(),
                out.output(),
                err.output());
    }

    /**
     * Ends every running task as a timeout does (SIGTERM to each session and tree, SIGKILL after the kill grace) and
     * refuses new runs; returns once the killed processes have exited, or the bounded wait for them has passed. The
     * hub calls this first when it stops, so a task (and whatever it started) does not outlive the hub, and a caller
     * still connected hears why its run ended. A run whose process had already ended by itself is left as it ended.
     */
    public void stopAll() {
        stopping = true;
        List<Run> now = running.stream().filter(Run::stopByHub).toList();
        if (now.isEmpty()) {
            return;
        }
        LOG.info("hub stopping: ending " + now.size() + " running task(s) and their processes");
        // side by side, so the hub's stop waits one kill grace, not one per task
        try (ExecutorService kills = Executors.newVirtualThreadPerTaskExecutor()) {
            now.forEach(r -> kills.execute(() -> endTree(r)));
        }
    }

    /**
     * Ends the run's process, its session and its descendants: SIGTERM, then SIGKILL to what outlives the kill grace
     * (bounded: a process in uninterruptible sleep, a hung NFS read, outlives even SIGKILL, and the hub's stop must
     * not wait for it forever). The session holds what the task started even after it left the tree (a shell's
     * background job, a double fork); the descendants hold what left the session while its parent still runs.
     */
    private void endTree(Run run) {
        ProcessTree.kill(run.process.toHandle(), run.session, settings.killGrace());
        if (run.process.isAlive()) {
            LOG.warning(
                    "task process still alive after SIGKILL and the kill grace, left behind: pid " + run.process.pid());
        }
    }

    private static void pump(InputStream in, TailBuffer tail, String stream, OutputListener listener) {
        byte[] buf = new byte[8192];
        LineSplitter lines = new LineSplitter(stream, listener);
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                tail.write(buf, 0, n);
                lines.accept(buf, n);
            }
        } catch (IOException e) {
            // the pipe closes when the process is killed
        }
        lines.finish();
    }

    /** Cuts a byte stream into lines for the listener; a listener failure never stops the reading. */
    private static final class LineSplitter {
        private final String stream;
        private final OutputListener listener;
        private final byte[] line = new byte[MAX_LINE];
        private int length;
        private boolean listening = true;

        LineSplitter(String stream, OutputListener listener) {
            this.stream = stream;
            this.listener = listener;
        }

        void accept(byte[] buf, int n) {
            for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                    emit();
                } else if (length < MAX_LINE) {
                    line[length++] = buf[i];
                }
            }
        }

        void finish() {
            if (length > 0) {
                emit();
            }
        }

        private void emit() {
            int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
            String text = new String(line, 0, end, StandardCharsets.UTF_8);
            length = 0;
            if (!listening) {
                return;
            }
            try {
                listener.line(stream, text);
            } catch (RuntimeException e) {
                listening = false;
                LOG.log(Level.FINE, "output listener failed; the task keeps running", e);
            }
        }
    }
}
