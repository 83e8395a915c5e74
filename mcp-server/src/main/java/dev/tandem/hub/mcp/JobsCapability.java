package dev.tandem.hub.mcp;

import dev.tandem.core.config.HubConfig;
import dev.tandem.core.store.Store;
import dev.tandem.core.store.StoreException;
import dev.tandem.core.store.StoreSettings;
import dev.tandem.core.usage.RateLimit;
import dev.tandem.hub.auth.Credentials;
import dev.tandem.hub.delegation.DelegationService;
import dev.tandem.hub.delegation.DelegationSettings;
import dev.tandem.hub.fs.Roots;
import dev.tandem.hub.jobs.JobService;
import dev.tandem.hub.jobs.JobSettings;
import dev.tandem.hub.runs.Engine;
import dev.tandem.hub.usage.Ledger;
import dev.tandem.hub.usage.UsageSettings;
import io.modelcontextprotocol.server.McpServerFeatures;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Background Codex and Claude Code jobs ({@code [jobs]}): {@code job_start}, {@code job_status}, …; and delegation on
 * top of them ({@code [delegation]}): {@code codex_exec}, {@code claude_exec}, {@code codex_review}, {@code
 * claude_review}, {@code suggest_engine}.
 */
public final class JobsCapability implements Capability {
    private final JobService jobs;
    private final DelegationService delegation;
    private final Store store;
    private final Optional<Ledger> ledger;

    JobsCapability(JobService jobs, DelegationService delegation, Store store, Ledger ledger) {
        this.jobs = jobs;
        this.delegation = delegation;
        this.store = store;
        this.ledger = Optional.of(ledger);
    }

    /**
     * Opens the jobs of the hub's store with {@code [jobs]}; engine processes inherit the hub's environment, and are
     * kept from and redacted of the credentials as the hub's own followers of their files read them.
     */
    public static JobsCapability create(HubConfig config, Credentials credentials) {
        return create(
                config,
                credentials,
                JobSettings.from(config.reader("jobs")),
                DelegationSettings.from(config.reader("delegation")),
                System.getenv());
    }

    /** Opens the jobs with {@code env} as the environment engine processes inherit (tests pass their own). */
    public static JobsCapability create(HubConfig config, Map<String, String> env) {
        JobSettings settings = JobSettings.from(config.reader("jobs"));
        return create(config, settings, env);
    }

    /** Opens the jobs with the given settings (tests and the benchmark tighten limits). */
    public static JobsCapability create(HubConfig config, JobSettings settings, Map<String, String> env) {
        return create(config, settings, DelegationSettings.from(config.reader("delegation")), env);
    }

    /**
     * Opens the jobs and delegation with the given settings (tests tighten limits), following the credential files
     * on their own: the hub a test starts with them follows the same files again.
     */
    public static JobsCapability create(
            HubConfig config, JobSettings settings, DelegationSettings delegationSettings, Map<String, String> env) {
        return create(config, Credentials.follow(config), settings, delegationSettings, env);
    }

    private static JobsCapability create(
            HubConfig config,
            Credentials credentials,
            JobSettings settings,
            DelegationSettings delegationSettings,
            Map<String, String> env) {
        Store store = Store.open(StoreSettings.from(config));
        try {
            JobService service = new JobService(
                    settings,
                    config.roots().isEmpty()
                            ? Roots.none(FsCapability.denyList(config))
                            : Roots.of(
                                    config.roots(), FsCapability.denyList(config), FsCapability.writeDenyList(config)),
                    store.jobs(),
                    env,
                    credentials.person(),
                    everSeen(credentials.all()),
                    store.settings().host(),
                    store.settings().postgres().isPresent(),
                    Clock.systemUTC());
            // the job tools' records carry what each job cost by the usage ledger, as /api/jobs does
            Ledger ledger = new Ledger(store.usage(), UsageSettings.from(config), Clock.systemUTC());
            return new JobsCapability(service, new DelegationService(delegationSettings, service, env), store, ledger);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** The most credential values {@link #everSeen} keeps: a rotation a day for two months of one hub's life. */
    static final int MAX_SEEN = 64;

    /**
     * Every value the credential files have held since the hub started, read again at each call: a token rotated
     * away, or a file that turned unreadable (too open, too short), is still redacted from what a job prints, since
     * an engine may have read the old value from disk. Up to {@link #MAX_SEEN} values; the newest always.
     */
    static Supplier<Collection<String>> everSeen(List<? extends Supplier<Optional<String>>> credentials) {
        Set<String> seen = new LinkedHashSet<>();
        return () -> {
            synchronized (seen) {
                for (Supplier<Optional<String>> c : credentials) {
                    c.get().ifPresent(v -> {
                        if (seen.remove(v) || seen.size() < MAX_SEEN) {
                            seen.add(v);
                        } else {
                            seen.remove(seen.iterator().next()); // the oldest goes, the newest stays
                            seen.add(v);
                        }
                    });
                }
                return List.copyOf(seen);
            }
        };
    }

    /** {@code job_kill} waits for the job's process tree to end: up to {@code [jobs] kill_grace_seconds}, and a minute. */
    @Override
    public Map<String, Duration> ownDeadlines() {
        Map<String, Duration> own = new HashMap<>();
        own.put(JobKillTool.NAME, jobs.settings().killGrace().plusMinutes(1));
        // a foreground delegation waits for its job: its timeout, the kill grace, and a minute
        Duration delegated = delegation
                .settings()
                .timeout()
                .plus(jobs.settings().killGrace())
                .plusMinutes(1);
        for (Engine e : Engine.values()) {
            own.put(DelegateExecTool.name(e), delegated);
            // a review may be asked for twice
            own.put(DelegateReviewTool.name(e), delegated.multipliedBy(2));
        }
        return Map.copyOf(own);
    }

    /** Returns the delegation service. */
    public DelegationService delegation() {
        return delegation;
    }

    /** Returns the jobs, for the HTTP API the CLI and the dashboard use. */
    public JobService service() {
        return jobs;
    }

    @Override
    public String name() {
        return "jobs";
    }

    @Override
    public List<McpServerFeatures.SyncToolSpecification> tools() {
        if (!jobs.settings().enabled()) {
            return List.of();
        }
        List<McpServerFeatures.SyncToolSpecification> out = new ArrayList<>(List.of(
                new JobStartTool(jobs, ledger).specification(),
                new JobStatusTool(jobs, ledger).specification(),
                new JobListTool(jobs, ledger).specification(),
                new JobOutputTool(jobs).specification(),
                new JobSendTool(jobs, ledger).specification(),
                new JobKillTool(jobs, ledger).specification()));
        if (delegation.settings().enabled()) {
            for (Engine e : Engine.values()) {
                out.add(new DelegateExecTool(delegation, e).specification());
                out.add(new DelegateReviewTool(delegation, e).specification());
            }
            out.add(new SuggestEngineTool(delegation.settings(), this::rateLimits, Clock.systemUTC()).specification());
        }
        return List.copyOf(out);
    }

    /**
     * The rate-limit windows the usage ledger read last on this hub's own machine; none when the store cannot say.
     * Windows another host reported (a fleet's other hubs, or what an enrolled machine sent) never steer the
     * suggestion here.
     */
    private List<RateLimit> rateLimits() {
        try {
            String own = store.usage().host();
            return store.usage().rateLimits().stream()
                    .filter(l -> l.host().equals(own))
                    .toList();
        } catch (StoreException e) {
            return List.of();
        }
    }

    @Override
    public void close() {
        jobs.close();
        store.close();
    }
}
