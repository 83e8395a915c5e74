package dev.tandem.hub.cli;

import dev.tandem.hub.usage.Ledger;
import dev.tandem.hub.usage.Query;
import dev.tandem.hub.usage.Report;
import dev.tandem.hub.usage.ReportJson;
import dev.tandem.hub.usage.ReportTable;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A {@code tandem usage} report as a table or {@code --json}; each subclass names the report it asks the ledger for. */
abstract class UsageReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    UsageOptions options = new UsageOptions();

    /** Returns the report this command prints. */
    abstract Report report(Ledger ledger, Query query);

    @Override
    public Integer call() {
        try (UsageOptions.Opened o = options.open(spec.commandLine().getErr())) {
            Report r = report(o.ledger(), options.query());
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
