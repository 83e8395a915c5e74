package dev.tandem.sync;

import dev.tandem.sync.runtime.FleetWiring;
import dev.tandem.sync.runtime.RuntimeModel;
import dev.tandem.sync.runtime.Settings;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code clean-runtime}: removes everything Tandem manages and redeploys it, or with --remove only removes. */
@Command(
        name = "clean-runtime",
        mixinStandardHelpOptions = true,
        description = "Remove everything Tandem manages and redeploy the canonical copy (--remove: only remove).",
        footerHeading = "%nExample:%n",
        footer = "  tandem sync clean-runtime --remove")
final class CleanCommand implements Callable<Integer> {
    private final Map<String, String> env;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions options = new CommonOptions();

    @Option(names = "--remove", description = "Only remove, leaving each file as it was before the first push.")
    boolean remove;

    @Option(names = "--dry-run", description = "Print the plan and the diff; write nothing.")
    boolean dryRun;

    CleanCommand(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    public Integer call() {
        Settings settings = options.settings(env);
        RuntimeModel.Build build =
                RuntimeModel.clean(settings, CommonOptions.sources(settings), CommonOptions.manifest(settings), remove);
        var plan = build.plan();
        CommonOptions.printNotices(build, spec);
        int exit = CommonOptions.writer(settings, spec, dryRun).apply(plan);
        if (exit == 0 && !dryRun) {
            // a fleet machine's engine keys: the clients are wired to this machine's own credentials now
            for (Path gone : FleetWiring.removeKeys(
                    settings.tandemDir(), settings.engine().names())) {
                spec.commandLine().getErr().println("tandem: removed " + gone + " (an engine's fleet key)");
            }
        }
        return exit;
    }
}
