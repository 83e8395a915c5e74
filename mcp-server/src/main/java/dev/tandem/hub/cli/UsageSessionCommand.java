package dev.tandem.hub.cli;

import dev.tandem.hub.usage.Report;
import dev.tandem.hub.usage.ReportJson;
import dev.tandem.hub.usage.ReportTable;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tandem usage session}: One row per engine session: its project, last activity, cost and the hub tools it called. */
@Command(
        name = "session",
        mixinStandardHelpOptions = true,
        description = "One row per engine session: its project, last activity, cost and the hub tools it called.",
        footerHeading = "%nExample:%n",
        footer = "  tandem usage session --since 2026-12-01")
public final class UsageSessionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    UsageOptions options = new UsageOptions();

    @Override
    public Integer call() {
        try (UsageOptions.Opened o = options.open(spec.commandLine().getErr())) {
            Report r = o.ledger().sessions(options.query());
            if (options.json) {
                UsageOptions.printJson(spec.commandLine().getOut(), ReportJson.of(r));
            } else {
                new ReportTable(o.config().home()).print(r, spec.commandLine().getOut());
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }
}
