package dev.tandem.hub.mcp;

import dev.tandem.core.config.HubConfig;
import dev.tandem.hub.auth.Credentials;
import dev.tandem.hub.skills.SkillLibrary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Creates the capabilities a configuration enables; the one place a new capability is registered. */
public final class Capabilities {
    private Capabilities() {}

    /** Returns the capabilities {@code config} enables; those that need the hub's credentials follow {@code credentials}. */
    public static List<Capability> create(HubConfig config, Credentials credentials) {
        List<Capability> out = new ArrayList<>();
        // Each capability adds itself here.
        out.add(new SkillsCapability(new SkillLibrary(config.skillsDir()), Duration.ofSeconds(1)));
        out.add(PortfolioCapability.create(config));
        if (!config.roots().isEmpty()) {
            // without configured roots the hub serves no files at all
            out.add(FsCapability.create(config));
            out.add(GitCapability.create(config));
        }
        out.add(TaskCapability.create(config));
        MemoryCapability memory = MemoryCapability.create(config);
        out.add(memory);
        out.add(new TelemetryCapability(memory.service()));
        out.add(UsageCapability.create(config));
        out.add(JobsCapability.create(config, credentials));
        return out;
    }
}
