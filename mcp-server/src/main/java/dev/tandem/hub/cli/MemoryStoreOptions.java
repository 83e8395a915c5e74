package dev.tandem.hub.cli;

import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.HubFlags;
import dev.tandem.hub.memory.MemoryService;
import dev.tandem.hub.memory.MemorySettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where {@code tandem memory} commands find the store: {@code --config} and {@code --data-dir}. */
final class MemoryStoreOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "Hub configuration (default: ~/.tandem/hub.toml).")
    Path config;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data folder (default: ~/.tandem/data).")
    Path dataDir;

    /** Opens the memory store the hub of this configuration uses. */
    MemoryService open() {
        HubFlags flags = new HubFlags(null, null, null, null, dataDir, null, List.of(), null, null, null);
        HubConfig cfg = Environment.loader().load(Optional.ofNullable(config), flags);
        return MemoryService.open(MemorySettings.from(cfg));
    }
}
