package dev.tandem.hub.tasks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the configured tasks: no shell, a filtered environment, a timeout that kills the whole process tree, the
 * end of the output kept, and at most {@code max_concurrent} at once (further calls are refused, not queued).
 * {@link #stopAll()}, when the hub stops, kills every running task's tree the same way and refuses new runs.
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

    /** A started task's process, and whether the hub's stop ended it. */
    private static final class Run {
        final Process process;
        volatile boolean stoppedByHub;

        Run(Process process) {
            this.process = process;
        }
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
        ProcessBuilder pb = new ProcessBuilder(task.argv()).directory(cwd.toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        for (String key : task.env()) {
            String value = environment.get(key);
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
        Run run = new Run(process);
        running.add(run);
        try {
            return collect(task, run, started, listener);
        } finally {
            running.remove(run);
        }
    }

    private TaskResult collect(TaskDefinition task, Run run, long started, OutputListener listener) {
        Process process = run.process;
        if (stopping) {
            // stopAll() took its list before this run was added: end it here
            run.stoppedByHub = true;
            killTrees(List.of(process));
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
            if (timedOut) {
                killTrees(List.of(process));
            }
            // a grandchild that escaped the kill may hold the pipes open: do not wait for it forever
            outPump.join(settings.killGrace().plusSeconds(1));
            errPump.join(settings.killGrace().plusSeconds(1));
        } catch (InterruptedException e) {
            killTrees(List.of(process));
            Thread.currentThread().interrupt();
            throw new TaskException("task '" + task.name() + "' was interrupted and has been stopped", e);
        }
        Duration duration = Duration.ofNanos(System.nanoTime() - started);
        return new TaskResult(
                task.name(),
                process.isAlive() ? -1 : process.exitValue(),
                duration,
                timedOut,
                !timedOut && run.stoppedByHub,
                out.output(),
                err.output());
    }

    /**
     * Ends every running task as a timeout does (SIGTERM to each tree, SIGKILL after the kill grace) and refuses
     * new runs; returns once the killed processes have exited. The hub calls this first when it stops, so a task
     * (and whatever it started) does not outlive the hub, and a caller still connected hears why its run ended.
     */
    public void stopAll() {
        stopping = true;
        List<Run> now = List.copyOf(running);
        if (now.isEmpty()) {
            return;
        }
        now.forEach(r -> r.stoppedByHub = true);
        LOG.info("hub stopping: ending " + now.size() + " running task(s) and their processes");
        killTrees(now.stream().map(r -> r.process).toList());
    }

    /**
     * Sends SIGTERM to each process's descendants and then to the process, then SIGKILL to whatever outlives the
     * grace period.
     */
    private void killTrees(List<Process> processes) {
        List<ProcessHandle> tree = new ArrayList<>();
        for (Process process : processes) {
            tree.addAll(process.descendants().toList());
            tree.add(process.toHandle());
        }
        tree.forEach(ProcessHandle::destroy);
        CompletableFuture<?>[] exits = tree.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(exits).get(settings.killGrace().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.log(Level.FINE, "task tree outlived SIGTERM; sending SIGKILL", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // children started after the first look are killed too, as long as the parent still holds them
        processes.forEach(p -> p.descendants().forEach(ProcessHandle::destroyForcibly));
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        // bounded: a process in uninterruptible sleep (a hung NFS read) outlives even SIGKILL, and the hub's stop
        // must not wait for it forever
        long deadline = System.nanoTime() + settings.killGrace().toNanos();
        for (Process process : processes) {
            try {
                process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        List<Long> left = tree.stream()
                .filter(ProcessHandle::isAlive)
                .map(ProcessHandle::pid)
                .toList();
        if (!left.isEmpty()) {
            LOG.warning("task processes still alive after SIGKILL and the kill grace, left behind: pids " + left);
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
