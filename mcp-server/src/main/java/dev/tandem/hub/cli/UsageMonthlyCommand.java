package dev.tandem.hub.cli;

import dev.tandem.hub.usage.Ledger;
import dev.tandem.hub.usage.Query;
import dev.tandem.hub.usage.Report;
import picocli.CommandLine.Command;

/** {@code tandem usage monthly}: One row per calendar month, both engines side by side. */
@Command(
        name = "monthly",
        mixinStandardHelpOptions = true,
        description = "One row per calendar month, both engines side by side.",
        footerHeading = "%nExample:%n",
        footer = "  tandem usage monthly --engine codex --json")
public final class UsageMonthlyCommand extends UsageReportCommand {
    @Override
    Report report(Ledger ledger, Query query) {
        return ledger.monthly(query);
    }
}
