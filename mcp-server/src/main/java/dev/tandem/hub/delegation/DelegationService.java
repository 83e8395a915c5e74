package dev.tandem.hub.delegation;

import dev.tandem.core.jobs.JobEvent;
import dev.tandem.core.jobs.JobRecord;
import dev.tandem.core.jobs.JobStatus;
import dev.tandem.hub.jobs.JobException;
import dev.tandem.hub.jobs.JobRequest;
import dev.tandem.hub.jobs.JobService;
import dev.tandem.hub.runs.Approval;
import dev.tandem.hub.runs.Engine;
import dev.tandem.hub.runs.Sandbox;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.BiFunction;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One engine asking the other (or itself): {@code *_exec} and {@code *_review} as one-shot jobs of {@link
 * JobService}, so each delegation is a job with its caller, callee and depth in {@code origin}
 * ({@code delegation:<caller>/<depth>}). On top of the jobs' own rules: at most {@code [delegation] max_concurrent}
 * at once (one more is refused as busy, never queued), a depth limit found from the caller's process (a delegated
 * agent cannot delegate again past {@code max_depth}), the delegation's own timeout, a cap on the returned message,
 * and the person's home folder shown as {@code ~}.
 */
public final class DelegationService {
    private static final Logger LOG = Logger.getLogger(DelegationService.class.getName());
    private static final Pattern ORIGIN = Pattern.compile("delegation:[a-z]+/(\\d+)");
    private static final Duration POLL = Duration.ofSeconds(5);

    private final DelegationSettings settings;
    private final JobService jobs;
    private final Semaphore slots;
    private final Optional<String> home;

    /** Receives a delegation's output while it runs: each event's kind and text. */
    public interface Progress {
        void event(String kind, String text);
    }

    /**
     * What a caller asks {@code *_exec} for.
     *
     * @param context more text for the task (pasted code, a log), appended to it
     * @param files globs, relative to {@code dir}, of files whose text is attached
     * @param sessionId an engine session to continue (from an earlier answer)
     */
    public record Exec(
            Engine engine,
            String task,
            Optional<String> dir,
            Optional<String> context,
            List<String> files,
            Optional<Sandbox> sandbox,
            Optional<Approval> approval,
            Optional<String> model,
            Optional<String> sessionId) {}

    /**
     * A delegation's outcome: the job, the final message (cut to {@code [delegation] output_kib}), whether it was cut,
     * and a review's verdict as JSON text.
     */
    public record Outcome(JobRecord job, String message, boolean cut, Optional<String> verdict, int depth) {}

    /** A started background delegation: its job and depth. */
    public record Started(JobRecord job, int depth) {}

    public DelegationService(DelegationSettings settings, JobService jobs, Map<String, String> hubEnv) {
        this.settings = settings;
        this.jobs = jobs;
        this.slots = new Semaphore(settings.maxConcurrent());
        this.home = Optional.ofNullable(hubEnv.get("HOME")).filter(h -> h.length() > 1);
    }

    public DelegationSettings settings() {
        return settings;
    }

    /** Runs {@code req} and waits for its answer, reporting its output to {@code progress} meanwhile. */
    public Outcome exec(Exec req, String callerEngine, String callerAddress, Progress progress) {
        int depth = depth(callerAddress);
        take();
        String id = null;
        try {
            id = jobs.start(request(req, callerEngine, depth)).id();
            return outcome(follow(id, progress), Optional.empty(), depth);
        } catch (JobException e) {
            throw invalid(scrub(e.getMessage()));
        } finally {
            settle(id);
        }
    }

    /** Starts {@code req} in the background and returns its job at once; the slot is held until it ends. */
    public Started start(Exec req, String callerEngine, String callerAddress) {
        int depth = depth(callerAddress);
        take();
        try {
            JobRecord job = jobs.start(request(req, callerEngine, depth));
            Thread.ofVirtual().name("tandem-delegation-" + job.id()).start(() -> {
                try {
                    follow(job.id(), (k, t) -> {});
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "delegation: following " + job.id() + " failed", e);
                } finally {
                    slots.release();
                }
            });
            return new Started(job, depth);
        } catch (JobException | DelegationException e) {
            slots.release();
            throw e instanceof JobException ? invalid(scrub(e.getMessage())) : e;
        }
    }

    /**
     * Reviews read-only and returns the verdict, checked with {@code validator} (schema and answer as JSON text, the
     * problem when it does not conform); an answer that fails is asked for once more, then refused.
     */
    public Outcome review(
            Engine engine,
            Review review,
            Optional<String> dir,
            Optional<String> model,
            String callerEngine,
            String callerAddress,
            Progress progress,
            BiFunction<String, String, Optional<String>> validator) {
        int depth = depth(callerAddress);
        take();
        List<String> ids = new ArrayList<>();
        try {
            String prompt = review.prompt();
            String problem = "";
            for (int attempt = 1; attempt <= 2; attempt++) {
                JobRequest req = new JobRequest(
                        engine,
                        prompt,
                        dir,
                        model,
                        Optional.of(Sandbox.READ_ONLY),
                        Optional.of(Approval.NEVER),
                        true,
                        review.paths(),
                        origin(callerEngine, depth),
                        Optional.empty(),
                        Optional.of(Review.SCHEMA),
                        Optional.of(settings.timeout()));
                String id = jobs.start(req).id();
                ids.add(id);
                Followed f = follow(id, progress);
                String answer = f.structured().orElse(f.lastMessage().orElse(""));
                if (f.job().status() != JobStatus.COMPLETED) {
                    return outcome(f, Optional.empty(), depth);
                }
                Optional<String> bad =
                        answer.isBlank() ? Optional.of("no JSON answer") : validator.apply(Review.SCHEMA, answer);
                if (bad.isEmpty()) {
                    return outcome(f, Optional.of(scrub(answer)), depth);
                }
                problem = bad.get();
                progress.event("notice", "attempt " + attempt + ": the verdict does not follow the schema: " + problem);
                prompt = review.retryPrompt(problem);
            }
            throw new DelegationException(
                    DelegationException.Reason.BAD_ANSWER,
                    "the " + engine.wireName() + " verdict failed the review schema twice (" + scrub(problem)
                            + "); jobs " + String.join(", ", ids));
        } catch (JobException e) {
            throw invalid(scrub(e.getMessage()));
        } finally {
            ids.forEach(this::settleQuietly);
            slots.release();
        }
    }

    // ---- the steps -------------------------------------------------------------------------------------

    private JobRequest request(Exec req, String callerEngine, int depth) {
        req.sandbox().ifPresent(s -> {
            if (!settings.sandboxes().contains(s)) {
                throw invalid("sandbox " + s.wireName() + " is not enabled for delegation "
                        + "([delegation] allow_danger_full_access = false); use read-only or workspace-write");
            }
        });
        req.approval().ifPresent(a -> {
            if (!settings.approvals().contains(a)) {
                throw invalid("approval " + a.wireName() + " (never ask) is not enabled for delegation "
                        + "([delegation] allow_auto_approve = false); use never or on-request");
            }
        });
        String prompt =
                req.task() + req.context().map(c -> "\n\nContext:\n" + c).orElse("");
        return new JobRequest(
                req.engine(),
                prompt,
                req.dir(),
                req.model(),
                Optional.of(req.sandbox().orElse(Sandbox.WORKSPACE_WRITE)),
                Optional.of(req.approval().orElse(Approval.NEVER)),
                true,
                req.files(),
                origin(callerEngine, depth),
                req.sessionId(),
                Optional.empty(),
                Optional.of(settings.timeout()));
    }

    /** Returns the depth a delegation from {@code callerAddress} gets, refusing one past {@code max_depth}. */
    private int depth(String callerAddress) {
        List<Long> chain = CallerProcess.chain(callerAddress);
        int callerDepth = jobs.jobOfProcess(chain)
                .map(id -> {
                    Matcher m = ORIGIN.matcher(jobs.status(id).origin());
                    // an agent the hub runs as a plain job is one level down as well
                    return m.matches() ? Integer.parseInt(m.group(1)) : 1;
                })
                .orElse(0);
        int depth = callerDepth + 1;
        if (depth > settings.maxDepth()) {
            throw new DelegationException(
                    DelegationException.Reason.RECURSION,
                    "refused: the caller runs inside a delegated job (depth " + callerDepth + ") and "
                            + "[delegation] max_depth = " + settings.maxDepth()
                            + "; a delegated agent cannot delegate again");
        }
        return depth;
    }

    private void take() {
        if (!slots.tryAcquire()) {
            throw new DelegationException(
                    DelegationException.Reason.BUSY,
                    "busy: " + settings.maxConcurrent() + " delegations are running ([delegation] max_concurrent = "
                            + settings.maxConcurrent() + "); try again when one has finished");
        }
    }

    /** What following a job gave: its record at the end, its last message and structured answer. */
    private record Followed(JobRecord job, Optional<String> lastMessage, Optional<String> structured) {}

    private Followed follow(String id, Progress progress) {
        long after = 0;
        Optional<String> message = Optional.empty();
        Optional<String> structured = Optional.empty();
        while (true) {
            JobService.EventPage page = jobs.events(id, after, 200, POLL);
            for (JobEvent e : page.events()) {
                after = e.seq();
                switch (e.kind()) {
                    case "message" -> message = Optional.of(e.text());
                    case "structured" -> structured = Optional.of(e.text());
                    default -> {}
                }
                progress.event(e.kind(), scrub(e.text()));
            }
            if (page.events().isEmpty() && !page.job().status().active()) {
                return new Followed(page.job(), message, structured);
            }
        }
    }

    /** Ends a foreground delegation's job if its caller left before it did (an abandoned call holds nothing). */
    private void settle(String id) {
        try {
            settleQuietly(id);
        } finally {
            slots.release();
        }
    }

    private void settleQuietly(String id) {
        if (id == null) {
            return;
        }
        try {
            if (jobs.status(id).status().active()) {
                jobs.kill(id);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "delegation: ending " + id + " failed", e);
        }
    }

    private Outcome outcome(Followed f, Optional<String> verdict, int depth) {
        String message = scrub(f.lastMessage().or(() -> f.job().summary()).orElse(""));
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        boolean cut = bytes.length > settings.outputCapBytes();
        if (cut) {
            message = new String(bytes, 0, (int) settings.outputCapBytes(), StandardCharsets.UTF_8)
                    .replaceAll("\uFFFD$", "");
        }
        return new Outcome(f.job(), message, cut, verdict, depth);
    }

    /** Returns {@code text} with the person's home folder shown as {@code ~}. */
    public String scrub(String text) {
        return home.map(h -> text.replace(h, "~")).orElse(text);
    }

    private static String origin(String callerEngine, int depth) {
        String who = callerEngine.matches("[a-z]+") ? callerEngine : "other";
        return "delegation:" + who + "/" + depth;
    }

    private static DelegationException invalid(String message) {
        return new DelegationException(DelegationException.Reason.INVALID, message);
    }
}
