package dev.tandem.hub.cli;

import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.HubRuntime;
import java.util.Optional;

/**
 * Where a command reaches the hub: the one running now, as its record ({@code ~/.tandem/state/hub.json}, written by
 * {@code tandem serve}) names it, so a hub started with {@code --port 0} is found; else the configured host and
 * port. An explicit {@code --host} or {@code --port} wins over both.
 *
 * @param host the host to connect to
 * @param port the port to connect to
 * @param runtime the running hub's record, when it was used
 */
record RunningHub(String host, int port, Optional<HubRuntime> runtime) {
    /** Returns the hub {@code cfg} leads to; {@code explicit} when the person passed {@code --host} or {@code --port}. */
    static RunningHub of(HubConfig cfg, boolean explicit) {
        if (!explicit) {
            Optional<HubRuntime> running = HubRuntime.running(cfg.layout());
            if (running.isPresent()) {
                return new RunningHub("127.0.0.1", running.get().port(), running);
            }
        }
        return new RunningHub(cfg.host(), cfg.port(), Optional.empty());
    }

    /** Returns the MCP endpoint clients on this machine use. */
    String mcpUrl(HubConfig cfg) {
        return runtime.map(HubRuntime::url).orElseGet(cfg::clientUrl);
    }

    /** Says where the address came from: the running hub's record, or {@code configured}. */
    String source(HubConfig cfg, String configured) {
        return runtime.map(r -> HubRuntime.file(cfg.layout()) + " (pid " + r.pid() + ")")
                .orElse(configured);
    }
}
