package dev.tandem.hub.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tandem fleet thaw}: lifts a freeze. */
@Command(
        name = "thaw",
        mixinStandardHelpOptions = true,
        description = "Lift a freeze.",
        footerHeading = "%nExample:%n",
        footer = "  tandem fleet thaw")
public final class FleetThawCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Hub configuration.")
    Path config;

    @Override
    public Integer call() {
        return FleetFreezeCommand.set(false, config, spec, "tandem: the fleet is thawed");
    }
}
