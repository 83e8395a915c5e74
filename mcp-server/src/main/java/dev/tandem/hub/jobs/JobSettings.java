package dev.tandem.hub.jobs;

import dev.tandem.core.config.Section;
import dev.tandem.hub.runs.Approval;
import dev.tandem.hub.runs.Sandbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code [jobs]} section of {@code hub.toml} (docs/jobs.md, "Configuration").
 *
 * @param enabled false offers no jobs: no tools, and the API refuses
 * @param codex the Codex binary; empty means {@code codex} on the hub's {@code PATH}
 * @param claude the Claude Code binary; empty means {@code claude} on the hub's {@code PATH}
 * @param maxConcurrent how many engine processes run at once; more jobs wait in the queue
 * @param maxQueued how many jobs may wait; a start beyond that is refused
 * @param turnTimeout how long one turn may take before its process tree is killed
 * @param idleTimeout how long an interactive job's process waits for a follow-up before it is closed (a later
 *     follow-up resumes the session in a new process)
 * @param killGrace how long SIGTERM has before SIGKILL
 * @param outputCapBytes how much output is stored per job
 * @param sandbox the sandbox of a job that names none
 * @param allowDangerFullAccess whether a job may ask for {@code danger-full-access}
 * @param allowAutoApprove whether a job may ask for {@code approval = auto}
 * @param passHubToken whether the engine processes get {@code TANDEM_TOKEN} (only for a hand-written client set-up
 *     that reads the token from there; the auth helper {@code tandem sync} writes needs no token)
 */
public record JobSettings(
        boolean enabled,
        Optional<Path> codex,
        Optional<Path> claude,
        int maxConcurrent,
        int maxQueued,
        Duration turnTimeout,
        Duration idleTimeout,
        Duration killGrace,
        long outputCapBytes,
        Sandbox sandbox,
        boolean allowDangerFullAccess,
        boolean allowAutoApprove,
        boolean passHubToken) {

    public static final int DEFAULT_MAX_CONCURRENT = 2;
    public static final int DEFAULT_MAX_QUEUED = 16;
    public static final long DEFAULT_TIMEOUT_MINUTES = 60;
    public static final long DEFAULT_IDLE_MINUTES = 10;
    public static final long DEFAULT_KILL_GRACE_SECONDS = 5;
    public static final long DEFAULT_OUTPUT_KIB = 1024;

    private static final Set<String> KEYS = Set.of(
            "enabled",
            "codex",
            "claude",
            "max_concurrent",
            "max_queued",
            "timeout_minutes",
            "idle_minutes",
            "kill_grace_seconds",
            "output_kib",
            "sandbox",
            "allow_danger_full_access",
            "allow_auto_approve",
            "pass_hub_token");

    public JobSettings {
        Objects.requireNonNull(codex, "codex");
        Objects.requireNonNull(claude, "claude");
        Objects.requireNonNull(turnTimeout, "turnTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(killGrace, "killGrace");
        Objects.requireNonNull(sandbox, "sandbox");
        if (maxConcurrent < 1 || maxQueued < 0 || outputCapBytes < 1024) {
            throw new IllegalArgumentException("job limits out of range");
        }
        if (sandbox == Sandbox.DANGER_FULL_ACCESS && !allowDangerFullAccess) {
            throw new IllegalArgumentException("the default sandbox cannot be danger-full-access unless it is allowed");
        }
    }

    /** Returns the defaults, as an empty {@code [jobs]} gives them. */
    public static JobSettings defaults() {
        return new JobSettings(
                true,
                Optional.empty(),
                Optional.empty(),
                DEFAULT_MAX_CONCURRENT,
                DEFAULT_MAX_QUEUED,
                Duration.ofMinutes(DEFAULT_TIMEOUT_MINUTES),
                Duration.ofMinutes(DEFAULT_IDLE_MINUTES),
                Duration.ofSeconds(DEFAULT_KILL_GRACE_SECONDS),
                DEFAULT_OUTPUT_KIB * 1024,
                Sandbox.READ_ONLY,
                false,
                false,
                false);
    }

    /** Reads {@code [jobs]}; a wrong key, type or value fails naming the file, line and key. */
    public static JobSettings from(Section s) {
        s.allowOnly(KEYS);
        boolean danger = s.bool("allow_danger_full_access", false);
        Sandbox sandbox = s.nonBlank("sandbox")
                .map(v -> {
                    try {
                        return Sandbox.of(v);
                    } catch (IllegalArgumentException e) {
                        throw s.error("sandbox", "must be read-only, workspace-write or danger-full-access");
                    }
                })
                .orElse(Sandbox.READ_ONLY);
        if (sandbox == Sandbox.DANGER_FULL_ACCESS && !danger) {
            throw s.error("sandbox", "is danger-full-access, which needs allow_danger_full_access = true");
        }
        return new JobSettings(
                s.bool("enabled", true),
                s.path("codex"),
                s.path("claude"),
                (int) s.whole("max_concurrent", 1, 64, DEFAULT_MAX_CONCURRENT),
                (int) s.whole("max_queued", 0, 1000, DEFAULT_MAX_QUEUED),
                Duration.ofMinutes(s.whole("timeout_minutes", 1, 7 * 24 * 60, DEFAULT_TIMEOUT_MINUTES)),
                Duration.ofMinutes(s.whole("idle_minutes", 1, 24 * 60, DEFAULT_IDLE_MINUTES)),
                Duration.ofSeconds(s.whole("kill_grace_seconds", 0, 600, DEFAULT_KILL_GRACE_SECONDS)),
                s.whole("output_kib", 1, 1024 * 1024, DEFAULT_OUTPUT_KIB) * 1024,
                sandbox,
                danger,
                s.bool("allow_auto_approve", false),
                s.bool("pass_hub_token", false));
    }

    /** Returns the sandboxes a job may ask for: danger-full-access only when allowed. */
    public List<Sandbox> sandboxes() {
        return Sandbox.offered(allowDangerFullAccess);
    }

    /** Returns the approval policies a job may ask for: auto only when allowed. */
    public List<Approval> approvals() {
        return Approval.offered(Approval.ON_REQUEST, allowAutoApprove);
    }

    /** Returns a copy with other limits (tests and the benchmark). */
    public JobSettings withLimits(int concurrent, int queued, Duration timeout, Duration grace) {
        return new JobSettings(
                enabled,
                codex,
                claude,
                concurrent,
                queued,
                timeout,
                idleTimeout,
                grace,
                outputCapBytes,
                sandbox,
                allowDangerFullAccess,
                allowAutoApprove,
                passHubToken);
    }
}
