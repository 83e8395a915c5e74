package dev.tandem.hub.cli;

import dev.tandem.hub.config.HubConfigLoader;
import java.nio.file.Path;

/** Where the commands look: the home, working directory and checkout, from system properties set by bin/tandem. */
final class Environment {
    private Environment() {}

    static Path home() {
        return Path.of(System.getProperty("user.home"));
    }

    static Path repo() {
        String repo = System.getProperty("tandem.repo");
        return repo == null ? workingDir() : Path.of(repo);
    }

    static Path workingDir() {
        return Path.of("").toAbsolutePath();
    }

    static HubConfigLoader loader() {
        return new HubConfigLoader(home(), workingDir(), repo(), System.getenv());
    }
}
