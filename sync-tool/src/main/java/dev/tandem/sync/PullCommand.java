package dev.tandem.sync;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pull-runtime}: copies managed content changed in the clients' homes back into clients/. */
@Command(
        name = "pull-runtime",
        mixinStandardHelpOptions = true,
        description =
                "Copy the managed block and the skills, commands and memory changed at runtime back into clients/.")
final class PullCommand implements Callable<Integer> {
    private final Map<String, String> env;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions options = new CommonOptions();

    PullCommand(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    public Integer call() {
        options.settings(env);
        spec.commandLine().getErr().println("tandem: pull-runtime is not built yet");
        return 2;
    }
}
