package dev.tandem.hub;

import dev.tandem.core.config.HubConfig;
import dev.tandem.core.store.Store;
import dev.tandem.core.store.StoreSettings;
import dev.tandem.hub.dashboard.Dashboard;
import dev.tandem.hub.dashboard.DashboardSessions;
import dev.tandem.hub.dashboard.DashboardSettings;
import dev.tandem.hub.http.HubFeature;
import dev.tandem.hub.jobs.JobService;
import dev.tandem.hub.mcp.Capability;
import dev.tandem.hub.mcp.JobsCapability;
import dev.tandem.hub.mcp.MemoryCapability;
import dev.tandem.hub.memory.MemoryService;
import dev.tandem.hub.portfolio.Portfolio;
import dev.tandem.hub.telemetry.TelemetryRecorder;
import dev.tandem.hub.telemetry.TelemetrySettings;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** The hub's telemetry store and recorder ({@code [telemetry]}) and its dashboard ({@code [dashboard]}). */
final class HubTelemetry implements AutoCloseable {
    static final String CHECK_SYNC_FILE = "check-sync.json";

    private final Store store;
    private final Optional<TelemetryRecorder> recorder;
    private final Optional<MemoryService> memories;
    private final Optional<JobService> jobs;
    private final Clock clock;

    private HubTelemetry(
            Store store,
            Optional<TelemetryRecorder> recorder,
            Optional<MemoryService> memories,
            Optional<JobService> jobs,
            Clock clock) {
        this.store = store;
        this.recorder = recorder;
        this.memories = memories;
        this.jobs = jobs;
        this.clock = clock;
    }

    /** Opens the store the configuration names and starts the recorder unless telemetry is disabled. */
    static HubTelemetry start(HubConfig config, List<Capability> capabilities, Clock clock) {
        TelemetrySettings settings = TelemetrySettings.from(config.reader("telemetry"));
        Store store = Store.open(StoreSettings.from(config));
        Optional<TelemetryRecorder> recorder = settings.enabled()
                ? Optional.of(TelemetryRecorder.start(store.telemetry(), settings, clock))
                : Optional.empty();
        Optional<MemoryService> memories = capabilities.stream()
                .filter(MemoryCapability.class::isInstance)
                .map(c -> ((MemoryCapability) c).service())
                .findFirst();
        Optional<JobService> jobs = capabilities.stream()
                .filter(JobsCapability.class::isInstance)
                .map(c -> ((JobsCapability) c).service())
                .findFirst();
        return new HubTelemetry(store, recorder, memories, jobs, clock);
    }

    Optional<TelemetryRecorder> recorder() {
        return recorder;
    }

    /**
     * Returns the dashboard; with {@code [dashboard] enabled = false} only the jobs API (for {@code tandem jobs}),
     * behind the bearer token, or nothing when the hub runs without jobs either.
     */
    List<HubFeature> dashboard(HubConfig config, Supplier<Optional<String>> token) {
        DashboardSettings settings = DashboardSettings.from(config.reader("dashboard"));
        if (!settings.enabled()) {
            return jobs.map(j -> List.of(Dashboard.jobsOnly(j, token, clock))).orElse(List.of());
        }
        Dashboard.Sources sources = new Dashboard.Sources(
                config.host(),
                token,
                store.settings().host(),
                store,
                recorder,
                memories,
                new Portfolio(config.portfolioDir()),
                config.stateDir().resolve(CHECK_SYNC_FILE),
                jobs);
        return List.of(new Dashboard(sources, new DashboardSessions(clock, settings.sessionTtl()), clock));
    }

    @Override
    public void close() {
        recorder.ifPresent(TelemetryRecorder::close); // writes what is queued
        store.close();
    }
}
