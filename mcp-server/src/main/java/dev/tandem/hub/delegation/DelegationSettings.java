package dev.tandem.hub.delegation;

import dev.tandem.core.config.Section;
import dev.tandem.hub.runs.Approval;
import dev.tandem.hub.runs.Sandbox;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code [delegation]} section of {@code hub.toml} (docs/delegation.md, "Safety settings").
 *
 * @param enabled false offers no delegation tools
 * @param maxConcurrent how many delegations run at once; one more gets a "busy" answer at once
 * @param maxDepth how deep delegations may nest: 1 lets an agent delegate, but not the agent it delegated to
 * @param timeout how long one delegation may take before its process tree is killed
 * @param outputCapBytes the most of a final message a delegation returns (the rest is cut, with a note)
 * @param allowDangerFullAccess whether {@code *_exec} offers {@code danger-full-access}
 * @param allowAutoApprove whether {@code *_exec} offers {@code approval = auto} (nothing is ever asked)
 * @param suggest the rules of {@code suggest_engine}
 */
public record DelegationSettings(
        boolean enabled,
        int maxConcurrent,
        int maxDepth,
        Duration timeout,
        long outputCapBytes,
        boolean allowDangerFullAccess,
        boolean allowAutoApprove,
        SuggestRules suggest) {

    public static final int DEFAULT_MAX_CONCURRENT = 3;
    public static final int DEFAULT_MAX_DEPTH = 1;
    public static final long DEFAULT_TIMEOUT_MINUTES = 30;
    public static final long DEFAULT_OUTPUT_KIB = 1024;

    private static final Set<String> KEYS = Set.of(
            "enabled",
            "max_concurrent",
            "max_depth",
            "timeout_minutes",
            "output_kib",
            "allow_danger_full_access",
            "allow_auto_approve",
            "suggest");

    public DelegationSettings {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(suggest, "suggest");
        if (maxConcurrent < 1 || maxDepth < 1 || outputCapBytes < 1024 || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("delegation limits out of range");
        }
    }

    /** Returns the defaults, as an empty {@code [delegation]} gives them. */
    public static DelegationSettings defaults() {
        return new DelegationSettings(
                true,
                DEFAULT_MAX_CONCURRENT,
                DEFAULT_MAX_DEPTH,
                Duration.ofMinutes(DEFAULT_TIMEOUT_MINUTES),
                DEFAULT_OUTPUT_KIB * 1024,
                false,
                false,
                SuggestRules.defaults());
    }

    /** Reads {@code [delegation]}; a wrong key, type or value fails naming the file, line and key. */
    public static DelegationSettings from(Section s) {
        s.allowOnly(KEYS);
        return new DelegationSettings(
                s.bool("enabled", true),
                (int) s.whole("max_concurrent", 1, 64, DEFAULT_MAX_CONCURRENT),
                (int) s.whole("max_depth", 1, 8, DEFAULT_MAX_DEPTH),
                Duration.ofMinutes(s.whole("timeout_minutes", 1, 24 * 60, DEFAULT_TIMEOUT_MINUTES)),
                s.whole("output_kib", 1, 64 * 1024, DEFAULT_OUTPUT_KIB) * 1024,
                s.bool("allow_danger_full_access", false),
                s.bool("allow_auto_approve", false),
                s.table("suggest").map(SuggestRules::from).orElse(SuggestRules.defaults()));
    }

    /** Returns the sandboxes {@code *_exec} offers: danger-full-access only when allowed. */
    public List<Sandbox> sandboxes() {
        return Sandbox.offered(allowDangerFullAccess);
    }

    /** Returns the approval policies {@code *_exec} offers: auto (never ask) only when allowed. */
    public List<Approval> approvals() {
        return Approval.offered(Approval.NEVER, allowAutoApprove);
    }

    /** Returns a copy with other limits (tests). */
    public DelegationSettings withLimits(int concurrent, int depth, Duration timeout, long outputCapBytes) {
        return new DelegationSettings(
                enabled, concurrent, depth, timeout, outputCapBytes, allowDangerFullAccess, allowAutoApprove, suggest);
    }
}
