package dev.tandem.core.jobs;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A background run of Codex or Claude Code the hub supervises, as stored (docs/jobs.md, "The record").
 *
 * @param id short random id ({@code tandem jobs status ID})
 * @param engine {@code codex} or {@code claude}
 * @param mode {@code one-shot} (one turn, then the process ends) or {@code interactive} (takes follow-ups)
 * @param status where it is
 * @param dir the real path of the folder it works in, inside the hub's roots
 * @param prompt the first prompt as given (attached files are not repeated here)
 * @param model the model asked for, else the engine's own default
 * @param sandbox {@code read-only}, {@code workspace-write} or {@code danger-full-access}
 * @param approval {@code on-request}, {@code never} or {@code auto}
 * @param files the {@code --file} globs whose files were attached to the prompt
 * @param origin who started it: {@code cli}, {@code dashboard}, {@code mcp:codex}, {@code mcp:claude}, …
 * @param host the machine it runs on
 * @param created when it was accepted
 * @param started when its first process started
 * @param ended when it last reached a status that is not active
 * @param tokens the tokens its engine reported
 * @param costUsd the cost its engine reported (Claude Code does; Codex does not)
 * @param filesModified absolute paths from the engine's own file-change events, first change first
 * @param summary the latest turn's final agent message, at most {@value #SUMMARY_CHARS} characters
 * @param sessionId the engine's thread or session id, which {@code resume} continues
 * @param pending what the engine waits on the person for
 * @param error why it failed, was killed or interrupted
 * @param turns how many turns it has started
 * @param outputBytes how many bytes of output are stored
 * @param outputTruncated whether output was dropped at the cap
 * @param pid the engine process while one runs, so a restarted hub can stop what a crashed one left
 * @param pidStarted that process's start time, so a reused pid is never mistaken for it
 * @param protectedChanges files that run code when the project is next opened, added, changed or removed in its
 *     folder while a process of the job ran (or present or unchecked, see {@link ProtectedChange}), each (path, change)
 *     once, first seen first
 */
public record JobRecord(
        String id,
        String engine,
        String mode,
        JobStatus status,
        String dir,
        String prompt,
        Optional<String> model,
        String sandbox,
        String approval,
        List<String> files,
        String origin,
        String host,
        Instant created,
        Optional<Instant> started,
        Optional<Instant> ended,
        JobTokens tokens,
        Optional<Double> costUsd,
        List<String> filesModified,
        Optional<String> summary,
        Optional<String> sessionId,
        List<PendingRequest> pending,
        Optional<String> error,
        int turns,
        long outputBytes,
        boolean outputTruncated,
        Optional<Long> pid,
        Optional<Instant> pidStarted,
        List<ProtectedChange> protectedChanges) {

    public static final int SUMMARY_CHARS = 500;

    public JobRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(sandbox, "sandbox");
        Objects.requireNonNull(approval, "approval");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(tokens, "tokens");
        files = List.copyOf(files);
        filesModified = List.copyOf(filesModified);
        pending = List.copyOf(pending);
        protectedChanges = List.copyOf(protectedChanges);
        summary = summary.map(s -> s.length() > SUMMARY_CHARS ? s.substring(0, SUMMARY_CHARS - 1) + "…" : s);
    }

    /** Returns whether the job runs one turn only. */
    public boolean oneShot() {
        return mode.equals("one-shot");
    }

    /** Returns how long it ran: from its start to its end, or to {@code now} while it is active. */
    public long elapsedMillis(Instant now) {
        if (started.isEmpty()) {
            return 0;
        }
        Instant end = status.active() ? now : ended.orElse(now);
        return Math.max(0, end.toEpochMilli() - started.get().toEpochMilli());
    }

    /** Returns a builder holding this record's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Returns a builder for a new job; every optional value starts empty. */
    public static Builder builder(String id, String engine, String mode, String dir, String prompt, Instant created) {
        return new Builder(new JobRecord(
                id,
                engine,
                mode,
                JobStatus.QUEUED,
                dir,
                prompt,
                Optional.empty(),
                "read-only",
                "on-request",
                List.of(),
                "cli",
                "localhost",
                created,
                Optional.empty(),
                Optional.empty(),
                JobTokens.NONE,
                Optional.empty(),
                List.of(),
                Optional.empty(),
                Optional.empty(),
                List.of(),
                Optional.empty(),
                0,
                0,
                false,
                Optional.empty(),
                Optional.empty(),
                List.of()));
    }

    /** Changes some values of a record; {@link #build()} checks them again. */
    public static final class Builder {
        private final String id;
        private final String engine;
        private final String mode;
        private JobStatus status;
        private final String dir;
        private final String prompt;
        private Optional<String> model;
        private String sandbox;
        private String approval;
        private List<String> files;
        private String origin;
        private String host;
        private final Instant created;
        private Optional<Instant> started;
        private Optional<Instant> ended;
        private JobTokens tokens;
        private Optional<Double> costUsd;
        private List<String> filesModified;
        private Optional<String> summary;
        private Optional<String> sessionId;
        private List<PendingRequest> pending;
        private Optional<String> error;
        private int turns;
        private long outputBytes;
        private boolean outputTruncated;
        private Optional<Long> pid;
        private Optional<Instant> pidStarted;
        private List<ProtectedChange> protectedChanges;

        private Builder(JobRecord r) {
            id = r.id;
            engine = r.engine;
            mode = r.mode;
            status = r.status;
            dir = r.dir;
            prompt = r.prompt;
            model = r.model;
            sandbox = r.sandbox;
            approval = r.approval;
            files = r.files;
            origin = r.origin;
            host = r.host;
            created = r.created;
            started = r.started;
            ended = r.ended;
            tokens = r.tokens;
            costUsd = r.costUsd;
            filesModified = r.filesModified;
            summary = r.summary;
            sessionId = r.sessionId;
            pending = r.pending;
            error = r.error;
            turns = r.turns;
            outputBytes = r.outputBytes;
            outputTruncated = r.outputTruncated;
            pid = r.pid;
            pidStarted = r.pidStarted;
            protectedChanges = r.protectedChanges;
        }

        public Builder status(JobStatus v) {
            status = v;
            return this;
        }

        public Builder model(Optional<String> v) {
            model = v;
            return this;
        }

        public Builder sandbox(String v) {
            sandbox = v;
            return this;
        }

        public Builder approval(String v) {
            approval = v;
            return this;
        }

        public Builder files(List<String> v) {
            files = v;
            return this;
        }

        public Builder origin(String v) {
            origin = v;
            return this;
        }

        public Builder host(String v) {
            host = v;
            return this;
        }

        public Builder started(Optional<Instant> v) {
            started = v;
            return this;
        }

        public Builder ended(Optional<Instant> v) {
            ended = v;
            return this;
        }

        public Builder tokens(JobTokens v) {
            tokens = v;
            return this;
        }

        public Builder costUsd(Optional<Double> v) {
            costUsd = v;
            return this;
        }

        public Builder filesModified(List<String> v) {
            filesModified = v;
            return this;
        }

        public Builder summary(Optional<String> v) {
            summary = v;
            return this;
        }

        public Builder sessionId(Optional<String> v) {
            sessionId = v;
            return this;
        }

        public Builder pending(List<PendingRequest> v) {
            pending = v;
            return this;
        }

        public Builder error(Optional<String> v) {
            error = v;
            return this;
        }

        public Builder turns(int v) {
            turns = v;
            return this;
        }

        public Builder output(long bytes, boolean truncated) {
            outputBytes = bytes;
            outputTruncated = truncated;
            return this;
        }

        public Builder process(Optional<Long> id, Optional<Instant> startedAt) {
            pid = id;
            pidStarted = startedAt;
            return this;
        }

        public Builder protectedChanges(List<ProtectedChange> v) {
            protectedChanges = v;
            return this;
        }

        public JobRecord build() {
            return new JobRecord(
                    id,
                    engine,
                    mode,
                    status,
                    dir,
                    prompt,
                    model,
                    sandbox,
                    approval,
                    files,
                    origin,
                    host,
                    created,
                    started,
                    ended,
                    tokens,
                    costUsd,
                    filesModified,
                    summary,
                    sessionId,
                    pending,
                    error,
                    turns,
                    outputBytes,
                    outputTruncated,
                    pid,
                    pidStarted,
                    protectedChanges);
        }
    }
}
