package dev.tandem.hub.cli;

import dev.tandem.hub.usage.Report;
import dev.tandem.hub.usage.ReportJson;
import dev.tandem.hub.usage.ReportTable;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tandem usage daily}: One row per day, both engines side by side, and the total. */
@Command(
        name = "daily",
        mixinStandardHelpOptions = true,
        description = "One row per day, both engines side by side, and the total.",
        footerHeading = "%nExample:%n",
        footer = "  tandem usage daily --since 2026-12-01 --breakdown model")
public final class UsageDailyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    UsageOptions options = new UsageOptions();

    @Override
    public Integer call() {
        try (UsageOptions.Opened o = options.open(spec.commandLine().getErr())) {
            Report r = o.ledger().daily(options.query());
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
