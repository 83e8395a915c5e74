package dev.tandem.hub.cli;

import dev.tandem.hub.usage.Blocks;
import dev.tandem.hub.usage.ReportJson;
import dev.tandem.hub.usage.ReportTable;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code tandem usage blocks}: 5-hour blocks of activity (the last seven days unless {@code --since}) and the current
 * 5-hour and weekly windows, with the engines' own used percentage where their logs carry it.
 */
@Command(
        name = "blocks",
        mixinStandardHelpOptions = true,
        description = "5-hour blocks of activity and the current 5-hour and weekly windows (used %% where logged).",
        footerHeading = "%nExample:%n",
        footer = "  tandem usage blocks --json")
public final class UsageBlocksCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    UsageOptions options = new UsageOptions();

    @Override
    public Integer call() {
        try (UsageOptions.Opened o = options.open(spec.commandLine().getErr())) {
            Blocks.BlocksReport r =
                    new Blocks(o.ledger(), o.store().usage(), Clock.systemUTC()).report(options.query());
            if (options.json) {
                UsageOptions.printJson(
                        spec.commandLine().getOut(),
                        ReportJson.of(r, o.ledger().zone().getId()));
            } else {
                new ReportTable(o.config().home())
                        .print(r, o.ledger().zone(), spec.commandLine().getOut());
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }
}
