package dev.tandem.hub.cli;

import dev.tandem.hub.config.HubConfig;
import dev.tandem.hub.config.HubFlags;
import dev.tandem.hub.memory.MemoryService;
import dev.tandem.hub.memory.MemorySettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tandem memory}: back up and move the memory store ({@code export}, {@code import}). */
@Command(
        name = "memory",
        mixinStandardHelpOptions = true,
        description = "Back up and move memories as JSON Lines (one line per version).",
        subcommands = {MemoryExportCommand.class, MemoryImportCommand.class})
public final class MemoryCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Opens the memory store the configuration and {@code --data-dir} name. */
    static MemoryService open(Path config, Path dataDir) {
        HubFlags flags = new HubFlags(null, null, null, null, dataDir, null, List.of(), null, null, null);
        HubConfig cfg = Environment.loader().load(Optional.ofNullable(config), flags);
        return MemoryService.open(MemorySettings.from(cfg.section("memory"), cfg.dataDir()));
    }
}
