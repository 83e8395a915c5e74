package dev.tandem.hub.mcp;

import dev.tandem.core.config.HubConfig;
import dev.tandem.core.store.Store;
import dev.tandem.core.store.StoreSettings;
import dev.tandem.hub.auth.TokenFile;
import dev.tandem.hub.fs.Roots;
import dev.tandem.hub.jobs.JobService;
import dev.tandem.hub.jobs.JobSettings;
import io.modelcontextprotocol.server.McpServerFeatures;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Background Codex and Claude Code jobs ({@code [jobs]}): {@code job_start}, {@code job_status}, … */
public final class JobsCapability implements Capability {
    private final JobService jobs;
    private final Store store;

    JobsCapability(JobService jobs, Store store) {
        this.jobs = jobs;
        this.store = store;
    }

    /** Opens the jobs of the hub's store with {@code [jobs]}; engine processes inherit the hub's environment. */
    public static JobsCapability create(HubConfig config) {
        return create(config, System.getenv());
    }

    /** Opens the jobs with {@code env} as the environment engine processes inherit (tests pass their own). */
    public static JobsCapability create(HubConfig config, Map<String, String> env) {
        JobSettings settings = JobSettings.from(config.reader("jobs"));
        return create(config, settings, env);
    }

    /** Opens the jobs with the given settings (tests and the benchmark tighten limits). */
    public static JobsCapability create(HubConfig config, JobSettings settings, Map<String, String> env) {
        Store store = Store.open(StoreSettings.from(config));
        try {
            String token = new TokenFile(config.tokenFile()).loadOrCreate();
            JobService service = new JobService(
                    settings,
                    config.roots().isEmpty()
                            ? Roots.none(FsCapability.denyList(config))
                            : Roots.of(config.roots(), FsCapability.denyList(config)),
                    store.jobs(),
                    env,
                    token,
                    store.settings().host(),
                    Clock.systemUTC());
            return new JobsCapability(service, store);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** {@code job_kill} waits for the job's process tree to end: up to {@code [jobs] kill_grace_seconds}, and a minute. */
    @Override
    public Map<String, Duration> ownDeadlines() {
        return Map.of(JobKillTool.NAME, jobs.settings().killGrace().plusMinutes(1));
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
        return List.of(
                new JobStartTool(jobs).specification(),
                new JobStatusTool(jobs).specification(),
                new JobListTool(jobs).specification(),
                new JobOutputTool(jobs).specification(),
                new JobSendTool(jobs).specification(),
                new JobKillTool(jobs).specification());
    }

    @Override
    public void close() {
        jobs.close();
        store.close();
    }
}
