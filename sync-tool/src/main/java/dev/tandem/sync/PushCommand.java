package dev.tandem.sync;

import dev.tandem.sync.engine.Planner;
import dev.tandem.sync.runtime.RuntimeModel;
import dev.tandem.sync.runtime.Settings;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code push-runtime}: writes the hub entry, skills, commands and memory into the clients' homes. */
@Command(
        name = "push-runtime",
        mixinStandardHelpOptions = true,
        description = "Write the hub connection, skills, commands and shared memory into ~/.codex and ~/.claude.",
        footerHeading = "%nExample:%n",
        footer = "  tandem sync push-runtime --engine codex --dry-run")
final class PushCommand implements Callable<Integer> {
    private final Map<String, String> env;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions options = new CommonOptions();

    @Option(names = "--dry-run", description = "Print the plan and the diff; write nothing.")
    boolean dryRun;

    PushCommand(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    public Integer call() {
        Settings settings = options.settings(env);
        RuntimeModel.Build build = CommonOptions.pushBuild(settings);
        var plan = Planner.plan(build.targets(), build.warnings());
        CommonOptions.printNotices(build, spec);
        return CommonOptions.writer(settings, spec, dryRun).apply(plan);
    }
}
