package dev.tandem.hub.jobs;

import dev.tandem.core.cli.TerminalText;
import dev.tandem.core.jobs.JobEvent;
import dev.tandem.core.jobs.JobRecord;
import dev.tandem.core.jobs.JobStatus;
import dev.tandem.core.jobs.JobTokens;
import dev.tandem.core.jobs.PendingRequest;
import dev.tandem.core.jobs.ProtectedChange;
import dev.tandem.hub.runs.Redactor;
import dev.tandem.hub.runs.Run;
import dev.tandem.hub.runs.RunEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A job the hub holds in memory while it is queued or has an engine process: its record as it changes, the run,
 * the approvals it waits on and the output not yet stored. Only {@link JobService} touches it, under its lock.
 */
final class LiveJob {
    /** Output kinds kept (shortened) even past the cap: without them the record could not be followed. */
    private static final List<String> ALWAYS_KEPT = List.of(
            "session",
            "turn_started",
            "approval_request",
            "approval_resolved",
            "structured",
            "protected_change",
            "turn_ended",
            "exited");

    /** The most protected changes a record keeps; the events list every one. */
    static final int MAX_PROTECTED = 200;

    private static final String PROTECTED_NOTE = "[warning] files that run code or grant permissions when the project"
            + " is next opened changed while the job ran (by the job or anything else writing there; not reverted:"
            + " review them before you open the project again)";

    private static final int KEPT_CHARS = 500;
    private static final int EVENT_CHARS = 64 * 1024;

    /** What to start when the job leaves the queue: the turn's input and the session to continue, if any. */
    record Start(String input, Optional<String> resumeSession) {}

    /** An approval the person can answer: which process asked, under which engine id. */
    private record Ask(int runNo, String engineId) {}

    JobRecord record;
    final Path binary;
    /** The JSON schema the final answer must follow (a review), if any. */
    Optional<String> outputSchema = Optional.empty();
    /** This job's own turn timeout, instead of {@code [jobs] timeout_minutes}. */
    Optional<java.time.Duration> timeout = Optional.empty();

    Run run;
    /** The watch of its process's protected files. */
    Optional<ProtectedWatch> watch = Optional.empty();
    /** The last look at its folder of an engine of it that ran before it left the live jobs, if the hub kept it. */
    Optional<ProtectedFiles.Snapshot> earlierLook = Optional.empty();
    /** Whether an engine of it ran before whose last look is not known: its next process's first look is unchecked. */
    boolean earlierUnknown;

    int runNo;
    Start next;
    boolean killed;
    boolean closing;
    /** Whether the hub is about to start its engine (its folder is being looked at): its slot is taken. */
    volatile boolean starting;

    Instant idleSince;
    /** A one-shot job's status once its turn ended: it takes effect when the process is gone. */
    private JobStatus settled;

    private long seq;
    private final long outputCap;
    private final List<JobEvent> unflushed = new ArrayList<>();
    private boolean dirty;
    private int asked;
    private final Map<String, Ask> asks = new HashMap<>();
    private final Map<String, String> localByEngineId = new HashMap<>();

    LiveJob(JobRecord record, Path binary, long lastSeq, long outputCap) {
        this.record = record;
        this.binary = binary;
        this.seq = lastSeq;
        this.outputCap = outputCap;
    }

    String id() {
        return record.id();
    }

    /** Returns whether this job has an engine process. */
    boolean hasProcess() {
        return run != null || starting;
    }

    /** Returns whether its process is alive and between turns (it may be closed to free a slot). */
    boolean idle() {
        return run != null && idleSince != null && !closing && !run.turnActive();
    }

    void update(JobRecord r) {
        record = r;
        dirty = true;
    }

    boolean dirty() {
        return dirty || !unflushed.isEmpty();
    }

    /** Returns the output not yet stored, and forgets it. */
    List<JobEvent> takeEvents() {
        List<JobEvent> out = List.copyOf(unflushed);
        unflushed.clear();
        dirty = false;
        return out;
    }

    /** Adds a line of output, within the job's output cap. */
    void addEvent(Instant at, String kind, String text) {
        String t = text.length() > EVENT_CHARS ? text.substring(0, EVENT_CHARS) + "… (cut)" : text;
        long bytes = t.getBytes(StandardCharsets.UTF_8).length;
        if (record.outputBytes() + bytes > outputCap) {
            if (!ALWAYS_KEPT.contains(kind)) {
                if (!record.outputTruncated()) {
                    String note = "output past " + outputCap / 1024 + " KiB is not stored ([jobs] output_kib)";
                    unflushed.add(new JobEvent(++seq, at, "notice", note));
                    update(record.toBuilder().output(record.outputBytes(), true).build());
                }
                return;
            }
            if (!kind.equals("protected_change")) { // what was planted is never cut short (up to 64 KiB)
                t = t.length() > KEPT_CHARS ? t.substring(0, KEPT_CHARS) + "…" : t;
            }
            bytes = t.getBytes(StandardCharsets.UTF_8).length;
        }
        unflushed.add(new JobEvent(++seq, at, kind, t));
        update(record.toBuilder()
                .output(record.outputBytes() + bytes, record.outputTruncated())
                .build());
    }

    /** Applies one event of the current run to the record and the output. */
    void apply(RunEvent event, Instant now) {
        JobRecord.Builder b = record.toBuilder();
        switch (event) {
            case RunEvent.Session s -> {
                b.sessionId(Optional.of(s.sessionId()));
                update(b.build());
                addEvent(now, s.kind(), "engine session " + s.sessionId());
            }
            case RunEvent.TurnStarted t -> {
                idleSince = null;
                int turn = record.turns() + 1;
                b.turns(turn).error(Optional.empty()).ended(Optional.empty());
                if (!killed && !closing) {
                    b.status(JobStatus.RUNNING);
                }
                update(b.build());
                addEvent(now, t.kind(), "turn " + turn + ": " + oneLine(t.input(), 300));
            }
            case RunEvent.Message m -> addEvent(now, m.kind(), m.text());
            case RunEvent.Command c -> addEvent(now, c.kind(), command(c));
            case RunEvent.FilesChanged f -> files(f, b, now);
            case RunEvent.ToolCall t ->
                addEvent(
                        now, t.kind(), t.name() + " " + t.status() + (t.detail().isBlank() ? "" : ": " + t.detail()));
            case RunEvent.Usage u -> update(b.tokens(tokens(u)).costUsd(cost(u)).build());
            case RunEvent.ApprovalRequested a -> asked(a, b, now);
            case RunEvent.ApprovalResolved r -> resolved(r, now);
            case RunEvent.TurnEnded t -> turnEnded(t, b, now);
            case RunEvent.Notice n -> addEvent(now, n.kind(), "[" + n.level() + "] " + n.text());
            case RunEvent.Exited x -> exited(x, b, now);
        }
    }

    private void files(RunEvent.FilesChanged f, JobRecord.Builder b, Instant now) {
        LinkedHashSet<String> all = new LinkedHashSet<>(record.filesModified());
        List<String> lines = new ArrayList<>();
        for (RunEvent.FileEdit e : f.files()) {
            all.add(e.path());
            lines.add(e.kind() + " " + e.path());
        }
        update(b.filesModified(List.copyOf(all)).build());
        addEvent(now, f.kind(), String.join("\n", lines));
    }

    /** Adds changes of the folder's protected files to the record, each (path, change) once, and to the output. */
    void protectedChanged(List<ProtectedChange> changes, Instant now, Redactor redactor) {
        List<ProtectedChange> was = record.protectedChanges();
        LinkedHashSet<ProtectedChange> all = new LinkedHashSet<>();
        List<String> lines = new ArrayList<>(List.of(PROTECTED_NOTE));
        List<ProtectedChange> incoming = new ArrayList<>();
        for (ProtectedChange c : changes) {
            ProtectedChange r = new ProtectedChange(redactor.apply(c.path()), c.change());
            incoming.add(r);
            lines.add(r.change() + " " + TerminalText.safe(r.path()));
        }
        // unchecked entries first, so the cap never drops them
        was.stream().filter(ProtectedChange::unchecked).forEach(all::add);
        incoming.stream().filter(ProtectedChange::unchecked).forEach(all::add);
        boolean over = false;
        for (ProtectedChange c : was) {
            all.add(c);
        }
        for (ProtectedChange c : incoming) {
            if (all.contains(c)) {
                continue;
            }
            if (all.size() < MAX_PROTECTED) {
                all.add(c);
            } else {
                over = true;
            }
        }
        if (over) {
            // more than the record keeps: it says changes may have been missed (the events list every one)
            LinkedHashSet<ProtectedChange> marked = new LinkedHashSet<>();
            marked.add(new ProtectedChange(record.dir(), "unchecked"));
            marked.addAll(all);
            all = marked;
        }
        update(record.toBuilder().protectedChanges(List.copyOf(all)).build());
        addEvent(now, "protected_change", String.join("\n", lines));
    }

    private JobTokens tokens(RunEvent.Usage u) {
        JobTokens t = record.tokens();
        Optional<Long> window = u.contextWindow().or(t::contextWindow);
        Optional<Long> used = u.contextUsed().or(t::contextUsed);
        if (u.cumulative()) {
            // Codex reports the thread's running total, earlier runs of the same session included
            return new JobTokens(u.input(), u.cachedInput(), u.output(), window, used);
        }
        return new JobTokens(
                t.input() + u.input(), t.cachedInput() + u.cachedInput(), t.output() + u.output(), window, used);
    }

    private Optional<Double> cost(RunEvent.Usage u) {
        if (u.costUsd().isEmpty()) {
            return record.costUsd();
        }
        return Optional.of(record.costUsd().orElse(0.0) + u.costUsd().get());
    }

    private void asked(RunEvent.ApprovalRequested a, JobRecord.Builder b, Instant now) {
        String local = Integer.toString(++asked);
        asks.put(local, new Ask(runNo, a.requestId()));
        localByEngineId.put(runNo + "/" + a.requestId(), local);
        List<PendingRequest> pending = new ArrayList<>(record.pending());
        pending.add(new PendingRequest(local, a.asks(), a.summary(), now));
        b.pending(pending);
        if (!killed && !closing) {
            b.status(JobStatus.WAITING);
        }
        update(b.build());
        addEvent(now, a.kind(), "#" + local + " " + a.asks() + ": " + a.summary());
    }

    private void resolved(RunEvent.ApprovalResolved r, Instant now) {
        String local = localByEngineId.remove(runNo + "/" + r.requestId());
        if (local == null) {
            return;
        }
        asks.remove(local);
        forget(local);
        addEvent(now, r.kind(), "#" + local + " " + r.decision() + " by " + r.by());
    }

    /** Drops a pending request from the record; the job runs again once nothing is pending. */
    void forget(String local) {
        List<PendingRequest> pending = new ArrayList<>(record.pending());
        pending.removeIf(p -> p.id().equals(local));
        JobRecord.Builder b = record.toBuilder().pending(pending);
        if (pending.isEmpty() && record.status() == JobStatus.WAITING) {
            b.status(JobStatus.RUNNING);
        }
        update(b.build());
    }

    /** Returns the engine request id of the pending request {@code local} of the current run. */
    Optional<String> engineRequest(String local) {
        Ask ask = asks.get(local);
        return ask == null || ask.runNo() != runNo ? Optional.empty() : Optional.of(ask.engineId());
    }

    private void turnEnded(RunEvent.TurnEnded t, JobRecord.Builder b, Instant now) {
        asks.clear();
        b.pending(List.of()).ended(Optional.of(now));
        t.finalMessage().filter(s -> !s.isBlank()).ifPresent(s -> b.summary(Optional.of(s)));
        // a structured answer (a review's verdict) is kept whole in the output, where its caller reads it
        t.structured().ifPresent(s -> addEvent(now, "structured", s));
        JobStatus next;
        if (killed) {
            next = JobStatus.KILLED;
        } else if (closing) {
            // the hub ended the process (it stops, or frees the slot of an idle one): what it said stands
            next = record.status().active() ? JobStatus.INTERRUPTED : record.status();
        } else {
            next = switch (t.status()) {
                case COMPLETED -> JobStatus.COMPLETED;
                case FAILED -> JobStatus.FAILED;
                case INTERRUPTED -> JobStatus.INTERRUPTED;
            };
            b.error(t.error());
        }
        if (record.oneShot() && run != null && record.status().active()) {
            // a one-shot job ends with its process: "completed" means nothing of it runs any more
            settled = next;
            b.ended(Optional.empty());
        } else {
            b.status(next);
            if (run != null && run.alive()) {
                idleSince = now;
            }
        }
        update(b.build());
        String how = t.status().name().toLowerCase(java.util.Locale.ROOT);
        addEvent(
                now,
                t.kind(),
                "turn " + record.turns() + " " + how
                        + t.error().map(e -> ": " + e).orElse(""));
    }

    private void exited(RunEvent.Exited x, JobRecord.Builder b, Instant now) {
        run = null;
        JobStatus wasSettled = settled;
        settled = null;
        idleSince = null;
        closing = false;
        b.process(Optional.empty(), Optional.empty());
        if (wasSettled != null && (record.status() == JobStatus.RUNNING || record.status() == JobStatus.WAITING)) {
            b.status(killed ? JobStatus.KILLED : wasSettled).ended(Optional.of(now));
        } else if (record.status() == JobStatus.RUNNING || record.status() == JobStatus.WAITING) {
            // the turn's end was not reported: the process died between events
            b.status(killed ? JobStatus.KILLED : JobStatus.FAILED)
                    .ended(Optional.of(now))
                    .pending(List.of())
                    .error(Optional.of("the engine exited with code " + x.code()));
        }
        update(b.build());
        String detail = x.cause().map(c -> " (" + c + ")").orElse("");
        String stderr = x.code() != 0 && x.cause().isEmpty() ? lastLine(x.stderr()) : "";
        addEvent(
                now,
                x.kind(),
                "engine exited with code " + x.code() + detail + (stderr.isEmpty() ? "" : ": " + stderr));
    }

    private static String command(RunEvent.Command c) {
        StringBuilder sb = new StringBuilder("$ ").append(c.command());
        if (!c.output().isBlank()) {
            sb.append('\n').append(c.output().stripTrailing());
        }
        sb.append('\n').append('(').append(c.status());
        c.exitCode().ifPresent(code -> sb.append(", exit ").append(code));
        return sb.append(')').toString();
    }

    static String oneLine(String text, int max) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= max ? flat : flat.substring(0, max - 1) + "…";
    }

    private static String lastLine(String text) {
        List<String> lines = text.strip().lines().toList();
        return lines.isEmpty() ? "" : oneLine(lines.get(lines.size() - 1), 300);
    }
}
