package dev.tandem.hub.mcp;

import dev.tandem.hub.config.HubConfig;
import java.util.ArrayList;
import java.util.List;

/** Creates the capabilities a configuration enables; the one place a new capability is registered. */
public final class Capabilities {
    private Capabilities() {}

    public static List<Capability> create(HubConfig config) {
        List<Capability> out = new ArrayList<>();
        // Each capability adds itself here, e.g. out.add(FsCapability.create(config));
        out.add(PortfolioCapability.create(config));
        out.add(FsCapability.create(config));
        return out;
    }
}
