package dev.tandem.core.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Settings given as command-line flags; a {@code null} field was not given and falls back to the environment.
 */
public record HubFlags(
        String host,
        Integer port,
        Boolean allowRemote,
        Path tokenFile,
        Path dataDir,
        Path portfolio,
        List<Path> roots,
        Long maxBodyBytes,
        Integer sessionIdleSeconds,
        Integer keepAliveSeconds) {

    public HubFlags {
        roots = roots == null ? List.of() : List.copyOf(roots);
    }

    /** Returns flags that set nothing. */
    public static HubFlags none() {
        return new HubFlags(null, null, null, null, null, null, List.of(), null, null, null);
    }
}
