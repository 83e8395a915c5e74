package dev.tandem.hub.jobs;

import dev.tandem.core.jobs.JobRecord;
import dev.tandem.hub.fs.DenyList;
import dev.tandem.hub.fs.FsException;
import dev.tandem.hub.fs.Roots;
import dev.tandem.hub.runs.Approval;
import dev.tandem.hub.runs.Engine;
import dev.tandem.hub.runs.RunSpec;
import dev.tandem.hub.runs.Sandbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks a job request against {@code [jobs]} and the roots and turns it into a record: the folder must be a real
 * folder inside a root, the sandbox and approval policy ones {@code [jobs]} allows, the model a model name.
 */
final class JobPlanner {
    /** The largest prompt or follow-up, attached files included. */
    static final int MAX_PROMPT_BYTES = 512 * 1024;

    private static final String WRITE_WHY =
            "[fs] write_deny: it runs code or grants permissions when a shell, editor or engine starts";
    private static final String READ_WHY = "[fs] deny: the hub's own state or credentials";

    private final JobSettings settings;
    private final Roots roots;

    JobPlanner(JobSettings settings, Roots roots) {
        this.settings = settings;
        this.roots = roots;
    }

    /** A checked request: the record to store and the first turn's input (the prompt with its files). */
    record Plan(JobRecord record, String input) {}

    Plan plan(JobRequest req, String id, String host, Instant now) {
        if (req.prompt().isBlank()) {
            throw invalid("prompt is empty: say what the job should do");
        }
        checkSize("prompt", req.prompt());
        Path dir = dir(req.dir());
        Sandbox sandbox = req.sandbox().orElse(settings.sandbox());
        if (!settings.sandboxes().contains(sandbox)) {
            throw invalid(
                    "sandbox " + sandbox.wireName()
                            + " is not allowed here ([jobs] allow_danger_full_access = false); use read-only or workspace-write");
        }
        checkWritable(dir, sandbox);
        Approval approval = approval(req);
        req.model().ifPresent(m -> {
            if (!RunSpec.MODEL.matcher(m).matches()) {
                throw invalid("model '" + m + "' is not a model name (letters, digits, . _ : / @ -)");
            }
        });
        req.resumeSession().ifPresent(sid -> {
            if (!RunSpec.SESSION.matcher(sid).matches()) {
                throw invalid("session_id '" + sid + "' is not an engine session id (letters, digits and -)");
            }
        });
        String input = PromptFiles.attach(req.prompt(), dir, req.files(), roots.denied());
        checkSize("prompt with its files", input);
        JobRecord record = JobRecord.builder(
                        id,
                        req.engine().wireName(),
                        req.oneShot() ? "one-shot" : "interactive",
                        dir.toString(),
                        req.prompt(),
                        now)
                .model(req.model())
                .sandbox(sandbox.wireName())
                .approval(approval.wireName())
                .files(req.files())
                .origin(req.origin())
                .host(host)
                .build();
        return new Plan(record, input);
    }

    /**
     * Returns the first turn's input of an existing job again: its folder checked against the roots and the deny
     * list again, its files read anew.
     */
    String input(JobRecord job) {
        return PromptFiles.attach(job.prompt(), dir(Optional.of(job.dir())), job.files(), roots.denied());
    }

    /**
     * Checks the folder of an existing job again before it runs once more (a resume or a follow-up in a new process):
     * against the roots and the deny list, and, unless its sandbox is read-only, against the write deny list.
     */
    void recheck(JobRecord job) {
        checkWritable(dir(Optional.of(job.dir())), Sandbox.of(job.sandbox()));
    }

    /**
     * Refuses a folder where a job that may write (any sandbox but read-only) could change what the fs tools never
     * write: a folder on or under an entry of the write deny list ({@code ~/.claude}, a project's {@code
     * .claude/hooks}), or one that holds a path entry of either deny list (the home holds {@code ~/.bashrc}, {@code
     * ~/.config} holds {@code ~/.config/systemd/user}). What the engine may write inside an ordinary folder is its own
     * sandbox's business (docs/jobs.md).
     */
    private void checkWritable(Path dir, Sandbox sandbox) {
        if (sandbox == Sandbox.READ_ONLY) {
            return;
        }
        String job = "a " + sandbox.wireName() + " job";
        String fix = ": start it with sandbox read-only, or in another folder";
        Optional<Path> on = deniedAncestor(dir, roots.writeDenyList().resolve());
        if (on.isPresent()) {
            throw invalid("dir " + dir + " lies in " + on.get() + ", which the fs tools never write (" + WRITE_WHY
                    + "), and " + job + " there could change it" + fix);
        }
        List<String> held = new ArrayList<>();
        roots.writeDenyList().pathsWithin(dir).forEach(e -> held.add(e + " (" + WRITE_WHY + ")"));
        roots.denyList().pathsWithin(dir).forEach(e -> held.add(e + " (" + READ_WHY + ")"));
        if (!held.isEmpty()) {
            String more = held.size() > 1 ? " and " + (held.size() - 1) + " more such paths" : "";
            throw invalid("dir " + dir + " holds " + held.get(0) + more + ", which the fs tools never write, and "
                    + job + " there could change them" + fix
                    + " (a project folder inside it that holds none of them)");
        }
    }

    /**
     * Returns the folder that makes {@code list} deny {@code dir}: the outermost of {@code dir} and the folders above
     * it that are denied without a break, asked about {@code dir} first so an exception ({@code !~/.codex/worktrees})
     * lets a folder inside a denied one through.
     */
    private static Optional<Path> deniedAncestor(Path dir, DenyList.Resolved list) {
        if (!list.denied(dir)) {
            return Optional.empty();
        }
        Path at = dir;
        while (at.getParent() != null && list.denied(at.getParent())) {
            at = at.getParent();
        }
        return Optional.of(at);
    }

    private Approval approval(JobRequest req) {
        boolean codexExec = req.engine() == Engine.CODEX && req.oneShot();
        if (codexExec) {
            // codex exec cannot ask: its only policy is never
            if (req.approval().isPresent() && req.approval().get() != Approval.NEVER) {
                throw invalid("a one-shot Codex job runs codex exec, which cannot ask for approvals: use approval "
                        + "never, or an interactive job (codex app-server) to approve requests");
            }
            return Approval.NEVER;
        }
        Approval approval = req.approval().orElse(Approval.ON_REQUEST);
        if (!settings.approvals().contains(approval)) {
            throw invalid("approval auto is not allowed here ([jobs] allow_auto_approve = false); "
                    + "use on-request or never");
        }
        return approval;
    }

    private Path dir(Optional<String> asked) {
        if (roots.paths().isEmpty()) {
            throw invalid("no roots are configured, and jobs run only inside them: add --root DIR, [fs] roots, or"
                    + " run 'tandem init --root DIR'");
        }
        String input =
                asked.filter(s -> !s.isBlank()).orElse(roots.paths().get(0).toString());
        Path real;
        try {
            real = roots.existing(input);
        } catch (FsException e) {
            throw invalid("dir " + e.getMessage());
        }
        if (!Files.isDirectory(real)) {
            throw invalid("dir " + input + ": not a folder");
        }
        return real;
    }

    private static void checkSize(String what, String text) {
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_PROMPT_BYTES) {
            throw invalid(what + " is " + bytes / 1024 + " KiB; at most " + MAX_PROMPT_BYTES / 1024 + " KiB");
        }
    }

    /** Checks a follow-up message. */
    static void checkMessage(String message) {
        if (message.isBlank()) {
            throw invalid("message is empty");
        }
        checkSize("message", message);
    }

    private static JobException invalid(String message) {
        return new JobException(JobException.Reason.INVALID, message);
    }
}
