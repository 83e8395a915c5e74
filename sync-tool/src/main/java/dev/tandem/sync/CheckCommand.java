package dev.tandem.sync;

import dev.tandem.sync.engine.DriftReport;
import dev.tandem.sync.runtime.HubProbe;
import dev.tandem.sync.runtime.RuntimeModel;
import dev.tandem.sync.runtime.Settings;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code check-sync}: the push plan reported as drift; exit 0 in sync, 1 drift, 2 error. */
@Command(
        name = "check-sync",
        mixinStandardHelpOptions = true,
        description =
                "Report drift between your source (~/.tandem/source, or the checkout's clients/) and the clients' homes: exit 0 in sync (a stale memories"
                        + " section included, unless --strict), 1 drift, 2 error.",
        footerHeading = "%nExample:%n",
        footer = "  tandem sync check-sync --json%n  tandem sync check-sync --from https://hub.lan:8443")
final class CheckCommand implements Callable<Integer> {
    private final Map<String, String> env;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions options = new CommonOptions();

    @Mixin
    FromOptions from = new FromOptions();

    @Option(names = "--json", description = "Print a machine-readable report.")
    boolean json;

    @Option(
            names = "--strict",
            description = "Also exit 1 when the memories section is stale (older than the hub's store).")
    boolean strict;

    CheckCommand(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    public Integer call() {
        Settings settings = from.wire(options.settings(env, !from.active()));
        RuntimeModel.Build build;
        try (FromOptions.Staged sources = from.sources(settings)) {
            build = RuntimeModel.push(settings, sources.sources(), CommonOptions.manifest(settings));
        }
        var plan = FleetKeyCheck.with(build.plan(), settings);
        CommonOptions.printNotices(build, spec);
        int exit = new DriftReport(spec.commandLine().getOut(), json, strict).apply(plan);
        // with --from the fleet hub has just answered with this machine's key; the probe is for the local hub
        if (settings.fleet().isEmpty()) {
            HubProbe.check(settings.hubUrl(), settings.tokenFile()).ifPresent(w -> {
                spec.commandLine().getErr().println("tandem: warning: " + w);
                spec.commandLine().getErr().flush();
            });
        }
        CheckSyncRecord.save(
                settings, plan, exit, Clock.systemUTC(), spec.commandLine().getErr());
        return exit;
    }
}
