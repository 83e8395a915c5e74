package dev.tandem.hub.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tandem fleet freeze}: every hub on the database refuses every request but the person's own. */
@Command(
        name = "freeze",
        mixinStandardHelpOptions = true,
        description = "Refuse every request but the person's own on every fleet hub, within a second.",
        footerHeading = "%nExample:%n",
        footer = "  tandem fleet freeze")
public final class FleetFreezeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Hub configuration.")
    Path config;

    @Override
    public Integer call() {
        return set(
                true,
                config,
                spec,
                "tandem: the fleet is frozen: every hub refuses host keys and engine"
                        + " credentials within a second; 'tandem fleet thaw' lifts it");
    }

    /** Sets the fleet's switch ({@code freeze} and {@code thaw}) in the store {@code config} names, then says so. */
    static int set(boolean frozen, Path config, CommandSpec spec, String done) {
        try (FleetStore store = FleetStore.open(config)) {
            store.fleet().freeze(frozen, store.actor());
        }
        spec.commandLine().getOut().println(done);
        return 0;
    }
}
