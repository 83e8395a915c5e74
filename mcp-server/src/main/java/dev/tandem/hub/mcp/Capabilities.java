package dev.tandem.hub.mcp;

import dev.tandem.hub.config.HubConfig;
import dev.tandem.hub.skills.SkillLibrary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Creates the capabilities a configuration enables; the one place a new capability is registered. */
public final class Capabilities {
    private Capabilities() {}

    public static List<Capability> create(HubConfig config) {
        List<Capability> out = new ArrayList<>();
        // Each capability adds itself here.
        out.add(new SkillsCapability(new SkillLibrary(config.skillsDir()), Duration.ofSeconds(1)));
        out.add(GitCapability.create(config));
        out.add(TaskCapability.create(config));
        out.add(MemoryCapability.create(config));
        return out;
    }
}
