package dev.tandem.hub.jobs;

import dev.tandem.core.jobs.ProtectedChange;
import dev.tandem.hub.runs.RunEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The protected files of one engine process's folder: a snapshot taken before the process starts, compared with the
 * folder at each turn's end and at the process's exit (whatever ended it), each comparison becoming the next one's
 * starting point. A job's next process (a follow-up, a resume) starts from the last look of the one before: what
 * changed in between is reported as the new process's changes, with its first comparison.
 *
 * <p>Every look runs on this watch's own thread, one after another, and hands its result on: never on the thread
 * that reads the engine's output, under a run's or the service's lock, nor on the service's dispatcher, so a slow or
 * stuck folder holds up nothing but this job's own events, which stay in order.
 */
final class ProtectedWatch {
    private static final Logger LOG = Logger.getLogger(ProtectedWatch.class.getName());

    private final ProtectedFiles files;
    private final Path dir;
    private final ExecutorService looks = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("tandem-job-look").factory());
    /** Written only on the look thread; read by the job's next watch. */
    private volatile ProtectedFiles.Snapshot last;
    /** The previous process's last look, until this one's first look is compared with it. */
    private Optional<ProtectedFiles.Snapshot> previous;
    /** What changed between the previous process's last look and this one's first; touched only on the look thread. */
    private List<ProtectedChange> between = List.of();
    /** Whether an earlier process of the job ran whose last look is not known. */
    private final boolean previousUnknown;

    ProtectedWatch(ProtectedFiles files, Path dir) {
        this(files, dir, Optional.empty());
    }

    /** A watch whose first look is compared with {@code previous}, the job's previous process's last look. */
    ProtectedWatch(ProtectedFiles files, Path dir, Optional<ProtectedFiles.Snapshot> previous) {
        this(files, dir, previous, false);
    }

    /**
     * A watch whose first look is compared with {@code previous}; without one, when {@code previousUnknown} (an
     * engine of the job ran before, but its last look is not known), the folder is reported {@code unchecked} first.
     */
    ProtectedWatch(
            ProtectedFiles files, Path dir, Optional<ProtectedFiles.Snapshot> previous, boolean previousUnknown) {
        this.files = files;
        this.dir = dir;
        this.previous = previous.filter(s -> s.dir().equals(dir));
        this.previousUnknown = previousUnknown;
    }

    /** Returns this watch's last look, if it has taken one. */
    Optional<ProtectedFiles.Snapshot> lastLook() {
        return Optional.ofNullable(last);
    }

    /** Takes the first snapshot, then runs {@code then} (on the look thread). */
    void first(Runnable then) {
        run(() -> {
            ProtectedFiles.Snapshot now = take();
            last = now;
            try {
                between = previous.map(was -> ProtectedFiles.diff(was, now))
                        .orElse(
                                previousUnknown
                                        ? List.of(new ProtectedChange(dir.toString(), "unchecked"))
                                        : List.of());
            } catch (RuntimeException e) {
                between = List.of(new ProtectedChange(dir.toString(), "unchecked"));
            }
            previous = Optional.empty();
            then.run();
        });
    }

    /** Waits up to {@code wait} for the looks handed on so far to end, once the process has exited. */
    void awaitExitLook(java.time.Duration wait) {
        try {
            looks.awaitTermination(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Hands {@code event} to {@code then} with what changed since the last look when it ends a turn or the process,
     * else with nothing, after every event handed on before it.
     */
    void after(RunEvent event, Consumer<List<ProtectedChange>> then) {
        boolean look = event instanceof RunEvent.TurnEnded || event instanceof RunEvent.Exited;
        if (!run(() -> then.accept(look ? withBetween(check()) : List.of()))) {
            then.accept(List.of()); // only after the process's exit, when nothing else comes
        }
        if (event instanceof RunEvent.Exited) {
            looks.shutdown();
        }
    }

    /** Stops the thread once what was handed to it has run. */
    void close() {
        looks.shutdown();
    }

    private boolean run(Runnable task) {
        try {
            looks.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Returns {@code changes} after what changed before this process started, the first time. */
    private List<ProtectedChange> withBetween(List<ProtectedChange> changes) {
        if (between.isEmpty()) {
            return changes;
        }
        List<ProtectedChange> all = new ArrayList<>(between);
        all.addAll(changes);
        between = List.of();
        return all;
    }

    private ProtectedFiles.Snapshot take() {
        try {
            return files.take(dir);
        } catch (RuntimeException | Error e) { // the job's update is posted whatever happened (out of memory too)
            LOG.log(Level.WARNING, "jobs: looking at the protected files of " + dir + " failed", e);
            return new ProtectedFiles.Snapshot(dir, Map.of(), false);
        }
    }

    private List<ProtectedChange> check() {
        ProtectedFiles.Snapshot was = last == null ? new ProtectedFiles.Snapshot(dir, Map.of(), false) : last;
        try {
            ProtectedFiles.Snapshot now = files.take(dir);
            last = now;
            return ProtectedFiles.diff(was, now);
        } catch (RuntimeException | Error e) { // the job's update is posted whatever happened (out of memory too)
            LOG.log(Level.WARNING, "jobs: comparing the protected files of " + dir + " failed", e);
            return List.of(new ProtectedChange(dir.toString(), "unchecked"));
        }
    }
}
