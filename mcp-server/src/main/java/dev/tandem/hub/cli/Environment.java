package dev.tandem.hub.cli;

import dev.tandem.core.config.HubConfigLoader;
import java.util.Optional;

/** Where the commands look: the process's home, working directory, checkout and environment (bin/tandem sets them). */
final class Environment {
    private Environment() {}

    static HubConfigLoader loader() {
        return HubConfigLoader.forProcess(Optional.empty());
    }
}
