package dev.tandem.hub.jobs;

import dev.tandem.core.cli.TerminalText;
import dev.tandem.core.jobs.JobEvent;
import dev.tandem.core.jobs.JobRecord;
import dev.tandem.core.jobs.JobRepository;
import dev.tandem.core.jobs.JobStatus;
import dev.tandem.core.jobs.ProtectedChange;
import dev.tandem.hub.fs.Roots;
import dev.tandem.hub.runs.Approval;
import dev.tandem.hub.runs.Engine;
import dev.tandem.hub.runs.EngineRunner;
import dev.tandem.hub.runs.ProcessTree;
import dev.tandem.hub.runs.Redactor;
import dev.tandem.hub.runs.Run;
import dev.tandem.hub.runs.RunEvent;
import dev.tandem.hub.runs.RunException;
import dev.tandem.hub.runs.RunSpec;
import dev.tandem.hub.runs.Sandbox;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Background runs of Codex and Claude Code: durable records, a queue in front of {@code [jobs] max_concurrent}
 * engine processes, follow-ups, approvals, kills and resumes through the engine's own session id. The CLI, the MCP
 * tools and the dashboard all come here.
 *
 * <p>Runs report their events onto a queue; one dispatcher thread applies them to the jobs and stores records and
 * output in batches. Every change of a job happens under one lock; a run is never waited on while it is held.
 */
public final class JobService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(JobService.class.getName());
    private static final String ID_CHARS = "abcdefghijkmnpqrstuvwxyz23456789";
    private static final int ID_LENGTH = 8;
    private static final String STOPPED = "the hub stopped while the job was active; continue it with resume";

    private final JobSettings settings;
    private final JobRepository repo;
    private final boolean sharedStore;
    private final JobPlanner planner;
    private final ProtectedFiles protectedFiles;
    private final EngineBinaries binaries;
    private final Map<String, String> hubEnv;
    private final Supplier<Optional<String>> token;
    private final Redactor redactor;
    private final String host;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, LiveJob> live = new LinkedHashMap<>();
    /**
     * The last look at the folder of the jobs that most recently left {@link #live}, oldest first, so that a
     * follow-up or resume reports what changed in between; at most {@link #ENDED_LOOKS} jobs and {@link
     * #ENDED_LOOK_ENTRIES} entries in all, held while this hub runs.
     */
    private final LinkedHashMap<String, ProtectedFiles.Snapshot> endedLooks = new LinkedHashMap<>();

    static final int ENDED_LOOKS = 64;
    static final int ENDED_LOOK_ENTRIES = 100_000;
    private final ArrayDeque<LiveJob> queue = new ArrayDeque<>();
    private final LinkedBlockingQueue<Update> updates = new LinkedBlockingQueue<>();
    private final Thread dispatcher;
    private volatile boolean closed;

    /** What the dispatcher applies to a job. */
    private sealed interface Update permits Happened, Looked {}

    /**
     * An event of one process of one job, with what changed among the folder's protected files before it (at a
     * turn's end or the process's exit; else nothing).
     */
    private record Happened(LiveJob job, int runNo, RunEvent event, List<ProtectedChange> changes) implements Update {}

    /** The first look at a job's folder is done: its engine may start. */
    private record Looked(LiveJob job, int runNo, RunSpec spec, ProtectedWatch watch) implements Update {}

    /** A page of a job's output for followers: the events after a point, and the record as it is now. */
    public record EventPage(List<JobEvent> events, JobRecord job) {}

    /**
     * Opens the service: jobs a previous hub left queued or running are marked interrupted, and any engine process
     * of theirs that is still there is ended.
     *
     * @param roots the folders jobs may work in
     * @param hubEnv the hub's environment, which engine processes inherit (without the token)
     * @param token the hub's bearer token as its file holds it now, kept from jobs
     * @param credentials every credential the hub holds, as their files hold them now (its token, the engines'),
     *     redacted from jobs' output as each event is stored
     * @param host this machine's name, recorded with each job
     * @param sharedStore whether other machines' hubs use the same store (PostgreSQL): then a start settles only this
     *     host's leftover jobs, not the others' running ones
     */
    public JobService(
            JobSettings settings,
            Roots roots,
            JobRepository repo,
            Map<String, String> hubEnv,
            Supplier<Optional<String>> token,
            Supplier<? extends Collection<String>> credentials,
            String host,
            boolean sharedStore,
            Clock clock) {
        this.settings = settings;
        this.repo = repo;
        this.planner = new JobPlanner(settings, roots);
        this.protectedFiles =
                new ProtectedFiles(roots.writeDenyList(), roots.hooksPaths(), ProtectedFiles.Budget.DEFAULT);
        this.binaries = new EngineBinaries(settings, hubEnv);
        this.hubEnv = Map.copyOf(hubEnv);
        this.token = token;
        this.redactor = Redactor.live(hubEnv, credentials);
        this.host = host;
        this.sharedStore = sharedStore;
        this.clock = clock;
        settleLeftovers();
        this.dispatcher = Thread.ofPlatform().daemon().name("tandem-jobs").start(this::dispatch);
    }

    public JobSettings settings() {
        return settings;
    }

    // ---- the API ----------------------------------------------------------------------------------------

    /** Starts a job (or queues it while every slot is taken) and returns its record. */
    public JobRecord start(JobRequest req) {
        requireEnabled();
        lock.lock();
        try {
            requireOpen();
            String id = newId();
            JobPlanner.Plan plan = planner.plan(req, id, host, clock.instant());
            Path binary = binaries.find(req.engine());
            requireQueueRoom();
            repo.insert(plan.record());
            LiveJob job = new LiveJob(plan.record(), binary, 0, settings.outputCapBytes());
            job.outputSchema = req.outputSchema();
            job.timeout = req.timeout();
            job.next = new LiveJob.Start(plan.input(), req.resumeSession());
            live.put(id, job);
            queue.add(job);
            schedule();
            flush();
            return job.record;
        } finally {
            lock.unlock();
        }
    }

    /** Returns the job {@code id}. */
    public JobRecord status(String id) {
        lock.lock();
        try {
            return current(id);
        } finally {
            lock.unlock();
        }
    }

    /** Returns up to {@code limit} jobs, newest first, only those in {@code statuses} unless it is empty. */
    public List<JobRecord> list(int limit, List<JobStatus> statuses) {
        return list(limit, statuses, Optional.empty());
    }

    /** Returns up to {@code limit} jobs, newest first, as {@link #list(int, List)}, only {@code host}'s if given. */
    public List<JobRecord> list(int limit, List<JobStatus> statuses, Optional<String> host) {
        lock.lock();
        try {
            flush();
            return repo.list(limit, statuses, host);
        } finally {
            lock.unlock();
        }
    }

    /** Returns, per host, how many jobs were created at or after {@code since}. */
    public Map<String, Long> countsByHost(Instant since) {
        lock.lock();
        try {
            flush();
            return repo.countsByHost(since);
        } finally {
            lock.unlock();
        }
    }

    /** Returns the last {@code lines} lines of a job's output. */
    public List<String> output(String id, int lines) {
        lock.lock();
        try {
            current(id);
            flush();
            List<String> all = JobViews.lines(repo.lastEvents(id, lines));
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the job's events after {@code afterSeq}, waiting up to {@code wait} for the first one while the job is
     * active (a follower's long poll).
     */
    public EventPage events(String id, long afterSeq, int limit, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        lock.lock();
        try {
            while (true) {
                JobRecord job = current(id);
                flush();
                List<JobEvent> events = repo.events(id, afterSeq, limit);
                long left = deadline - System.nanoTime();
                if (!events.isEmpty() || !job.status().active() || left <= 0 || closed) {
                    return new EventPage(events, current(id));
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobException(JobException.Reason.CONFLICT, "interrupted while waiting for job " + id);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends a follow-up turn to an interactive job: to its process when it is there and idle, else through a new
     * process that resumes the engine's session.
     */
    public JobRecord send(String id, String message) {
        requireEnabled();
        JobPlanner.checkMessage(message);
        lock.lock();
        try {
            requireOpen();
            JobRecord job = current(id);
            if (job.oneShot()) {
                throw conflict("job " + id + " is one-shot and takes no follow-up; start an interactive job "
                        + "(without --one-shot) to talk to it");
            }
            if (job.status().active()) {
                throw conflict("job " + id + " is " + job.status().wireName()
                        + "; send the follow-up when its turn has ended");
            }
            LiveJob l = live.get(id);
            if (l != null && l.run != null && l.run.alive() && !l.closing && !l.run.turnActive()) {
                try {
                    l.run.send(message);
                    l.idleSince = null;
                    l.update(l.record.toBuilder().status(JobStatus.RUNNING).build());
                    flush();
                    return l.record;
                } catch (RunException e) {
                    LOG.log(Level.FINE, "follow-up to the live process failed; resuming instead", e);
                }
            }
            return requeue(
                    job,
                    job.sessionId().isPresent() ? message : planner.input(job) + "\n\n" + message,
                    job.sessionId());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Continues a job that was interrupted, failed or killed: through the engine's session when it has one (with
     * {@code message}, or a note to go on), else from its first prompt.
     */
    public JobRecord resume(String id, Optional<String> message) {
        requireEnabled();
        message.ifPresent(JobPlanner::checkMessage);
        lock.lock();
        try {
            requireOpen();
            JobRecord job = current(id);
            if (job.status().active()) {
                throw conflict("job " + id + " is " + job.status().wireName() + "; nothing to resume");
            }
            if (job.status() == JobStatus.COMPLETED) {
                throw conflict("job " + id + " completed; send it a follow-up instead (tandem jobs send)");
            }
            String input;
            if (job.sessionId().isPresent()) {
                input = message.orElse("Continue where you left off: your previous run stopped before it finished.");
            } else {
                input = planner.input(job) + message.map(m -> "\n\n" + m).orElse("");
            }
            return requeue(job, input, job.sessionId());
        } finally {
            lock.unlock();
        }
    }

    /** Approves or denies the pending request {@code requestId} of a job. */
    public JobRecord approve(String id, String requestId, boolean approve) {
        lock.lock();
        try {
            JobRecord job = current(id);
            LiveJob l = live.get(id);
            Optional<String> engineId = l == null ? Optional.empty() : l.engineRequest(requestId);
            if (engineId.isEmpty() || l.run == null) {
                throw conflict("job " + id + " has no pending request '" + requestId + "'"
                        + (job.pending().isEmpty()
                                ? " (it waits on nothing)"
                                : " (pending: "
                                        + String.join(
                                                ", ",
                                                job.pending().stream()
                                                        .map(p -> p.id())
                                                        .toList()) + ")"));
            }
            try {
                l.run.answer(engineId.get(), approve);
            } catch (RunException e) {
                throw conflict("job " + id + ": " + e.getMessage());
            }
            l.forget(requestId);
            flush();
            return l.record;
        } finally {
            lock.unlock();
        }
    }

    /** Stops a job: a queued one leaves the queue, a running one's process tree is killed before this returns. */
    public JobRecord kill(String id) {
        Run toKill;
        Optional<ProtectedWatch> watch;
        lock.lock();
        try {
            JobRecord job = current(id);
            LiveJob l = live.get(id);
            if (l == null) {
                throw conflict("job " + id + " is " + job.status().wireName() + "; nothing runs");
            }
            Instant now = clock.instant();
            if (job.status().active()) {
                l.killed = true;
                l.update(job.toBuilder()
                        .status(JobStatus.KILLED)
                        .ended(Optional.of(now))
                        .pending(List.of())
                        .error(Optional.of("killed on request"))
                        .build());
                l.addEvent(now, "notice", "[info] killed on request");
            }
            toKill = l.run;
            watch = l.watch;
            if (toKill == null) {
                queue.remove(l);
                flush();
                leave(l);
                return l.record;
            }
            flush();
        } finally {
            lock.unlock();
        }
        toKill.kill();
        // what the process changed before it went, looked at on the watch's thread
        watch.ifPresent(
                w -> w.awaitExitLook(ProtectedFiles.Budget.DEFAULT.time().plusSeconds(1)));
        lock.lock();
        try {
            drainUpdates();
            return current(id);
        } finally {
            lock.unlock();
        }
    }

    /** Deletes jobs that ended more than {@code age} ago, with their output; returns how many. */
    public int clean(Duration age) {
        Instant cutoff = clock.instant().minus(age);
        List<Run> toClose = new ArrayList<>();
        lock.lock();
        try {
            flush();
            for (LiveJob l : List.copyOf(live.values())) {
                boolean old = !l.record.status().active()
                        && l.record.ended().map(e -> e.isBefore(cutoff)).orElse(false);
                if (old && l.run != null) {
                    l.closing = true;
                    toClose.add(l.run);
                }
            }
        } finally {
            lock.unlock();
        }
        toClose.forEach(Run::close);
        lock.lock();
        try {
            drainUpdates();
            return repo.deleteEndedBefore(cutoff);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the id of the live job whose engine process is one of {@code pids} (a caller's process and its
     * ancestors), if any.
     */
    public Optional<String> jobOfProcess(java.util.Collection<Long> pids) {
        lock.lock();
        try {
            return live.values().stream()
                    .filter(l -> l.record.pid().map(pids::contains).orElse(false))
                    .map(LiveJob::id)
                    .findFirst();
        } finally {
            lock.unlock();
        }
    }

    // ---- scheduling -------------------------------------------------------------------------------------

    private JobRecord requeue(JobRecord job, String input, Optional<String> session) {
        planner.recheck(job);
        requireQueueRoom();
        LiveJob l = live.get(job.id());
        if (l == null) {
            Path binary = binaries.find(Engine.of(job.engine()));
            l = new LiveJob(job, binary, repo.lastSeq(job.id()), settings.outputCapBytes());
            // the job's last look, if this hub still holds it; else, when an engine of it ran before (under an
            // earlier hub, or too long ago), what changed since is not known
            l.earlierLook = Optional.ofNullable(endedLooks.remove(job.id()));
            l.earlierUnknown = l.earlierLook.isEmpty() && job.started().isPresent();
            live.put(job.id(), l);
        }
        l.killed = false;
        l.next = new LiveJob.Start(input, session);
        l.update(job.toBuilder()
                .status(JobStatus.QUEUED)
                .error(Optional.empty())
                .ended(Optional.empty())
                .build());
        queue.add(l);
        schedule();
        flush();
        return l.record;
    }

    /** Starts queued jobs while slots are free; with none free, closes the longest-idle interactive process. */
    private void schedule() {
        while (!queue.isEmpty() && !closed) {
            if (processes() < settings.maxConcurrent()) {
                launch(queue.poll());
                continue;
            }
            live.values().stream()
                    .filter(LiveJob::idle)
                    .min(Comparator.comparing(j -> j.idleSince))
                    .ifPresent(idle -> {
                        idle.closing = true;
                        Run r = idle.run;
                        Thread.ofVirtual().start(r::close);
                    });
            return;
        }
    }

    private long processes() {
        return live.values().stream().filter(LiveJob::hasProcess).count();
    }

    private void launch(LiveJob job) {
        LiveJob.Start start = job.next;
        job.next = null;
        job.runNo++;
        int runNo = job.runNo;
        JobRecord r = job.record;
        try {
            Path dir = unchangedDir(r);
            RunSpec spec = new RunSpec(
                    Engine.of(r.engine()),
                    job.binary,
                    dir,
                    start.input(),
                    r.model(),
                    Sandbox.of(r.sandbox()),
                    Approval.of(r.approval()),
                    !r.oneShot(),
                    start.resumeSession(),
                    job.outputSchema,
                    JobEnvironment.of(hubEnv, token.get().orElse(""), settings.passHubToken(), r.id()),
                    job.timeout.orElse(settings.turnTimeout()),
                    settings.killGrace(),
                    RunSpec.Limits.DEFAULT,
                    redactor);
            // every job, read-only ones too (a command the person approves, or an engine's bug, can write): what
            // the folder's protected files are before its engine starts, looked at on the watch's own thread
            // (seconds in a big folder); the job keeps its slot meanwhile and starts when the dispatcher gets the
            // result
            // compared first with the job's previous process's last look: what changed in between is reported too
            Optional<ProtectedFiles.Snapshot> previous =
                    job.watch.flatMap(ProtectedWatch::lastLook).or(() -> job.earlierLook);
            ProtectedWatch watch =
                    new ProtectedWatch(protectedFiles, dir, previous, previous.isEmpty() && job.earlierUnknown);
            job.starting = true;
            watch.first(() -> updates.add(new Looked(job, runNo, spec, watch)));
        } catch (RunException | IllegalArgumentException | JobException e) {
            failStart(job, e);
        }
    }

    /** Starts the job's engine once its folder has been looked at, unless the job has moved on meanwhile. */
    private void applyLooked(Looked u) {
        LiveJob job = u.job();
        job.starting = false;
        if (job.killed || closed || live.get(job.id()) != job || u.runNo() != job.runNo) {
            u.watch().close(); // killed, or the hub stopped, while the folder was looked at: the record says so
            if (closed && live.get(job.id()) == job && job.run == null) {
                leave(job);
            }
            schedule();
            return;
        }
        try {
            unchangedDir(job.record); // the look took a while: the folder must still be the one checked
            startEngine(job, u.runNo(), u.spec(), Optional.of(u.watch()));
        } catch (RunException | IllegalArgumentException | JobException e) {
            u.watch().close();
            failStart(job, e);
        }
        schedule();
    }

    private void startEngine(LiveJob job, int runNo, RunSpec spec, Optional<ProtectedWatch> watch) {
        try {
            Run run = EngineRunner.of(spec.engine(), spec.interactive()).start(spec, event -> {
                if (watch.isPresent()) {
                    watch.get().after(event, changes -> updates.add(new Happened(job, runNo, event, changes)));
                } else {
                    updates.add(new Happened(job, runNo, event, List.of()));
                }
            });
            job.run = run;
            job.watch = watch;
            job.update(job.record.toBuilder()
                    .status(JobStatus.RUNNING)
                    .started(Optional.of(job.record.started().orElse(clock.instant())))
                    .process(Optional.of(run.pid()), run.startedAt())
                    .build());
        } catch (RunException | IllegalArgumentException | JobException e) {
            watch.ifPresent(ProtectedWatch::close);
            failStart(job, e);
        }
    }

    /** Drops {@code job} from the live jobs, keeping its last look at its folder for a later follow-up or resume. */
    private void leave(LiveJob job) {
        live.remove(job.id());
        Optional<ProtectedFiles.Snapshot> look =
                job.watch.flatMap(ProtectedWatch::lastLook).or(() -> job.earlierLook);
        endedLooks.remove(job.id());
        if (look.isEmpty()) {
            return;
        }
        endedLooks.put(job.id(), look.get());
        long entries =
                endedLooks.values().stream().mapToLong(l -> l.entries().size()).sum();
        var oldest = endedLooks.entrySet().iterator();
        while (oldest.hasNext() && (endedLooks.size() > ENDED_LOOKS || entries > ENDED_LOOK_ENTRIES)) {
            entries -= oldest.next().getValue().entries().size();
            oldest.remove();
        }
    }

    private void failStart(LiveJob job, RuntimeException e) {
        Instant now = clock.instant();
        job.update(job.record.toBuilder()
                .status(JobStatus.FAILED)
                .ended(Optional.of(now))
                .error(Optional.of(redactor.apply(e.getMessage())))
                .build());
        job.addEvent(now, "notice", "[error] " + redactor.apply(e.getMessage()));
        flushJob(job);
        leave(job);
    }

    /**
     * Returns the job's folder as it was checked when the job was planned or requeued, refusing one that has since
     * been replaced (by a link elsewhere, say to the home) or has come to fail the checks: the engine starts later
     * than the check, and works wherever the folder's name leads then.
     */
    private Path unchangedDir(JobRecord r) {
        Path recorded = Path.of(r.dir());
        Path real;
        try {
            real = recorded.toRealPath();
        } catch (IOException e) {
            throw new JobException(
                    JobException.Reason.INVALID, "dir " + recorded + " is gone since the job was queued; not started");
        }
        if (!real.equals(recorded)) {
            throw new JobException(
                    JobException.Reason.INVALID,
                    "dir " + recorded + " leads to " + real + " since the job was queued (a link or a moved folder);"
                            + " not started");
        }
        planner.recheck(r);
        return real;
    }

    // ---- the dispatcher ---------------------------------------------------------------------------------

    private void dispatch() {
        while (true) {
            Update first;
            try {
                first = updates.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            lock.lock();
            try {
                if (first != null) {
                    apply(first);
                }
                drainUpdates();
                closeIdle();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "jobs: applying engine events failed", e);
            } finally {
                lock.unlock();
            }
            if (closed && updates.isEmpty() && live.isEmpty()) {
                return;
            }
        }
    }

    /** Applies every queued update, stores what changed and wakes followers; called under the lock. */
    private void drainUpdates() {
        List<Update> batch = new ArrayList<>();
        updates.drainTo(batch);
        batch.forEach(this::apply);
        flush();
        changed.signalAll();
    }

    private void apply(Update update) {
        if (update instanceof Looked l) {
            applyLooked(l);
            return;
        }
        Happened u = (Happened) update;
        LiveJob job = u.job();
        if (!u.changes().isEmpty()) {
            // recorded whichever process of the job saw them: they are on disk either way
            job.protectedChanged(u.changes(), clock.instant(), redactor);
        }
        if (u.runNo() != job.runNo) {
            return; // a process the job has already left behind
        }
        job.apply(u.event(), clock.instant());
        if (u.event() instanceof RunEvent.Exited) {
            flushJob(job);
            if (job.next == null && live.get(job.id()) == job) {
                leave(job);
            }
            schedule();
        }
    }

    private void closeIdle() {
        Instant limit = clock.instant().minus(settings.idleTimeout());
        for (LiveJob l : live.values()) {
            if (l.idle() && l.idleSince.isBefore(limit)) {
                l.closing = true;
                Run r = l.run;
                Thread.ofVirtual().start(r::close);
            }
        }
    }

    private void flush() {
        for (LiveJob l : live.values()) {
            flushJob(l);
        }
    }

    private void flushJob(LiveJob l) {
        if (!l.dirty()) {
            return;
        }
        List<JobEvent> events = l.takeEvents();
        repo.appendEvents(l.id(), events);
        repo.update(l.record);
    }

    // ---- start and stop ---------------------------------------------------------------------------------

    private void settleLeftovers() {
        Instant now = clock.instant();
        List<JobRecord> left = repo.interruptActive(now, STOPPED, sharedStore ? Optional.of(host) : Optional.empty());
        List<Thread> killers = new ArrayList<>();
        for (JobRecord j : left) {
            long seq = repo.lastSeq(j.id());
            List<JobEvent> events = new ArrayList<>();
            events.add(new JobEvent(++seq, now, "notice", "[info] the hub restarted; job interrupted"));
            if (j.status() == JobStatus.RUNNING || j.status() == JobStatus.WAITING) {
                // its engine ran when the hub stopped: nobody looked at the folder after it
                Optional<String> note = markUnlooked(j.id());
                if (note.isPresent()) {
                    events.add(new JobEvent(++seq, now, "protected_change", note.get()));
                }
            }
            repo.appendEvents(j.id(), events);
            if (j.pid().isPresent() && j.pidStarted().isPresent()) {
                long pid = j.pid().get();
                Instant started = j.pidStarted().get();
                killers.add(Thread.ofVirtual().start(() -> {
                    if (ProcessTree.killLeftover(pid, started, settings.killGrace())) {
                        LOG.info("jobs: ended engine process " + pid + " that a stopped hub left running");
                    }
                }));
            }
        }
        for (Thread t : killers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Puts an {@code unchecked} protected change for its folder first on the stored record of {@code id}, a job whose
     * engine process a stopped hub left running: no look at the folder followed that process, so changes to its
     * protected files may have been missed. Returns the text of the event that says so (empty when the record is
     * gone).
     */
    private Optional<String> markUnlooked(String id) {
        Optional<JobRecord> found = repo.find(id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        JobRecord j = found.get();
        ProtectedChange unchecked = new ProtectedChange(redactor.apply(j.dir()), "unchecked");
        LinkedHashSet<ProtectedChange> all = new LinkedHashSet<>();
        all.add(unchecked);
        all.addAll(j.protectedChanges());
        repo.update(j.toBuilder().protectedChanges(List.copyOf(all)).build());
        return Optional.of(
                "[warning] the hub stopped while the job's engine ran, and nothing looked at the files that run code"
                        + " or grant permissions when the project is next opened after it: changes to them may have been"
                        + " missed (review them before you open the project again)\n"
                        + "unchecked " + TerminalText.safe(unchecked.path()));
    }

    /** Marks active jobs interrupted, ends every engine process and stores the last of their output. */
    @Override
    public void close() {
        List<Run> runs = new ArrayList<>();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            Instant now = clock.instant();
            for (LiveJob l : live.values()) {
                l.closing = true;
                if (l.record.status().active()) {
                    l.update(l.record.toBuilder()
                            .status(JobStatus.INTERRUPTED)
                            .ended(Optional.of(now))
                            .pending(List.of())
                            .error(Optional.of(STOPPED))
                            .build());
                }
                if (l.run != null) {
                    runs.add(l.run);
                }
            }
            queue.clear();
            flush();
        } finally {
            lock.unlock();
        }
        List<Thread> killers = new ArrayList<>();
        for (Run r : runs) {
            killers.add(Thread.ofVirtual().start(r::kill));
        }
        for (Thread t : killers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            dispatcher.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dispatcher.interrupt();
        lock.lock();
        try {
            drainUpdates();
        } finally {
            lock.unlock();
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private JobRecord current(String id) {
        LiveJob l = live.get(id);
        if (l != null) {
            return l.record;
        }
        return repo.find(id).orElseThrow(() -> new JobException(JobException.Reason.NOT_FOUND, "no job '" + id + "'"));
    }

    private String newId() {
        while (true) {
            StringBuilder sb = new StringBuilder(ID_LENGTH);
            for (int i = 0; i < ID_LENGTH; i++) {
                sb.append(ID_CHARS.charAt(random.nextInt(ID_CHARS.length())));
            }
            String id = sb.toString();
            if (!live.containsKey(id) && repo.find(id).isEmpty()) {
                return id;
            }
        }
    }

    private void requireEnabled() {
        if (!settings.enabled()) {
            throw new JobException(JobException.Reason.UNAVAILABLE, "jobs are turned off ([jobs] enabled = false)");
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new JobException(JobException.Reason.UNAVAILABLE, "the hub is stopping");
        }
    }

    private void requireQueueRoom() {
        long waiting = queue.size();
        if (processes() >= settings.maxConcurrent() && waiting >= settings.maxQueued()) {
            throw new JobException(
                    JobException.Reason.BUSY,
                    settings.maxConcurrent() + " jobs run and " + waiting + " wait ([jobs] max_concurrent = "
                            + settings.maxConcurrent() + ", max_queued = " + settings.maxQueued()
                            + "); try again when one has finished");
        }
    }

    private static JobException conflict(String message) {
        return new JobException(JobException.Reason.CONFLICT, message);
    }
}
