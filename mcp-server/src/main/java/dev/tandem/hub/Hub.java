package dev.tandem.hub;

import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.HubRuntime;
import dev.tandem.core.config.OwnerOnly;
import dev.tandem.core.store.StoreSettings;
import dev.tandem.hub.auth.Credentials;
import dev.tandem.hub.auth.HostKeys;
import dev.tandem.hub.cli.HubUsage;
import dev.tandem.hub.fleet.FleetHub;
import dev.tandem.hub.fleet.FleetMode;
import dev.tandem.hub.http.HttpLimits;
import dev.tandem.hub.http.HubFeature;
import dev.tandem.hub.http.HubServer;
import dev.tandem.hub.http.SessionLimits;
import dev.tandem.hub.http.StreamableHttpTransport;
import dev.tandem.hub.mcp.Capabilities;
import dev.tandem.hub.mcp.Capability;
import dev.tandem.hub.mcp.McpHub;
import dev.tandem.hub.mcp.TasksExtension;
import dev.tandem.hub.mcp.ToolProfiles;
import dev.tandem.hub.mcp.UsageCapability;
import dev.tandem.hub.telemetry.TelemetryRecorder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A running hub: token, capabilities, MCP server and web server, started and stopped as one. */
public final class Hub implements AutoCloseable {
    private final HubConfig config;
    private final HubServer server;
    private final McpHub mcp;
    private final HubTelemetry telemetry;
    private final Optional<FleetHub> fleet;
    private final Optional<UsageEndpoint> usage;

    private Hub(
            HubConfig config,
            HubServer server,
            McpHub mcp,
            HubTelemetry telemetry,
            Optional<FleetHub> fleet,
            Optional<UsageEndpoint> usage) {
        this.config = config;
        this.server = server;
        this.mcp = mcp;
        this.telemetry = telemetry;
        this.fleet = fleet;
        this.usage = usage;
    }

    /** Starts a hub with the capabilities the configuration enables. */
    public static Hub start(HubConfig config) {
        return start(config, FleetMode.from(config, false));
    }

    /** Starts a hub with the given capabilities (tests pass their own), as {@code [fleet]} and {@code [tls]} say. */
    public static Hub start(HubConfig config, List<Capability> capabilities) {
        return start(config, capabilities, FleetMode.from(config, false));
    }

    /**
     * Starts a hub with the capabilities the configuration enables, as a fleet hub or not, with TLS or not; the
     * capabilities and the hub's edge share one follower of each credential file.
     */
    public static Hub start(HubConfig config, FleetMode mode) {
        OwnerOnly.dir(config.layout().dir());
        Credentials credentials = Credentials.follow(config);
        return start(config, Capabilities.create(config, credentials), mode, credentials);
    }

    /** Starts a hub with the given capabilities, as a fleet hub or not, with TLS or not. */
    public static Hub start(HubConfig config, List<Capability> capabilities, FleetMode mode) {
        OwnerOnly.dir(config.layout().dir());
        return start(config, capabilities, mode, Credentials.follow(config));
    }

    private static Hub start(HubConfig config, List<Capability> capabilities, FleetMode mode, Credentials credentials) {
        Optional<FleetHub> fleet = mode.fleet() ? Optional.of(FleetHub.open(config)) : Optional.empty();
        try {
            return start(config, capabilities, mode, fleet, credentials);
        } catch (RuntimeException e) {
            fleet.ifPresent(FleetHub::close);
            throw e;
        }
    }

    private static Hub start(
            HubConfig config,
            List<Capability> capabilities,
            FleetMode mode,
            Optional<FleetHub> fleet,
            Credentials credentials) {
        HubServer.Settings settings = new HubServer.Settings(
                config.host(),
                config.port(),
                credentials.withHosts(fleet.<HostKeys>map(FleetHub::keys).orElse(HostKeys.NONE)),
                config.maxBodyBytes(),
                config.sessionIdleTimeout(),
                config.keepAliveInterval(),
                HttpLimits.from(config.reader("hub")),
                mode.tls());
        StreamableHttpTransport transport =
                HubServer.transport(settings, StoreSettings.host(config), SessionLimits.from(config.reader("hub")));
        transport.toolProfiles(ToolProfiles.from(config)::allows);
        capabilities.stream()
                .filter(c -> c instanceof dev.tandem.hub.http.ProtocolExtension)
                .forEach(c -> transport.extension((dev.tandem.hub.http.ProtocolExtension) c));
        transport.extension(TasksExtension.from(config, capabilities));
        McpHub mcp = McpHub.start(transport, new ArrayList<>(capabilities), config);
        HubTelemetry telemetry = null;
        try {
            telemetry = HubTelemetry.start(config, capabilities, Clock.systemUTC());
            telemetry.recorder().ifPresent(transport::recorder);
            transport.registeredTargets(mcp::registers);
            List<HubFeature> features = new ArrayList<>();
            // `tandem usage` answered by the hub: before the dashboard, whose area covers all of /api/
            Optional<UsageEndpoint> usage = capabilities.stream()
                    .filter(UsageCapability.class::isInstance)
                    .map(UsageCapability.class::cast)
                    .findFirst()
                    .flatMap(u -> u.poller().map(p -> new HubUsage(config, u.store(), p, Main::usageCommandLine)))
                    .map(UsageEndpoint::new);
            usage.ifPresent(features::add);
            // the fleet's canonical clients/ content: before the dashboard too
            features.add(FleetClientsEndpoint.of(config));
            // the usage enrolled machines read from their own logs
            fleet.ifPresent(f -> features.add(new FleetUsageEndpoint(f.store(), Clock.systemUTC())));
            features.addAll(telemetry.dashboard(config, credentials.person()));
            HubServer server = HubServer.start(settings, transport, features);
            // background work (the usage poller's first round, the skills folder's) starts once the hub answers
            capabilities.forEach(Capability::listening);
            return new Hub(config, server, mcp, telemetry, fleet, usage);
        } catch (RuntimeException e) {
            mcp.close();
            if (telemetry != null) {
                telemetry.close();
            }
            throw e;
        }
    }

    public int port() {
        return server.port();
    }

    /** Returns the MCP endpoint, {@code http://HOST:PORT/mcp}. */
    public String url() {
        String url = config.mcpUrl(port());
        return server.tls() ? "https" + url.substring("http".length()) : url;
    }

    /**
     * Returns the URL this machine's own clients use: with TLS, the plain-HTTP listener on 127.0.0.1 beside it
     * (they need not trust the hub's certificate); else {@link #url()}.
     */
    public String localUrl() {
        java.util.OptionalInt local = server.localPort();
        return local.isPresent() ? "http://127.0.0.1:" + local.getAsInt() + "/mcp" : url();
    }

    /**
     * Returns what {@code bin/usage-via-hub} reads from the record ({@code hub.json}) at this start: the key
     * {@code POST /api/usage/cli} takes instead of the token, and the proof its answers to that key carry; absent
     * when the hub answers no {@code tandem usage}.
     */
    public Optional<HubRuntime.UsageKeys> usageKeys() {
        return usage.map(u -> new HubRuntime.UsageKeys(u.key(), u.proof()));
    }

    public HubServer server() {
        return server;
    }

    public McpHub mcp() {
        return mcp;
    }

    /** Returns the telemetry recorder, absent when {@code [telemetry] enabled = false}. */
    public Optional<TelemetryRecorder> telemetry() {
        return telemetry.recorder();
    }

    /** Returns the fleet, when this is a fleet hub. */
    public Optional<FleetHub> fleet() {
        return fleet;
    }

    /** Stops the hub: first the work in flight that must not outlive it (running tasks), then the server. */
    @Override
    public void close() {
        closeInOrder(List.of(
                mcp::stopping, server::close, mcp::close, telemetry::close, () -> fleet.ifPresent(FleetHub::close)));
    }

    /**
     * Runs every step in order even when some throw; rethrows the first failure with the later ones attached as
     * suppressed, so none of them goes unreported.
     */
    static void closeInOrder(List<Runnable> steps) {
        Throwable first = null;
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (RuntimeException | Error e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first instanceof RuntimeException e) {
            throw e;
        }
        if (first instanceof Error e) {
            throw e;
        }
    }
}
