package dev.tandem.hub.cli;

import dev.tandem.hub.usage.Ledger;
import dev.tandem.hub.usage.Query;
import dev.tandem.hub.usage.Report;
import picocli.CommandLine.Command;

/** {@code tandem usage daily}: One row per day, both engines side by side, and the total. */
@Command(
        name = "daily",
        mixinStandardHelpOptions = true,
        description = "One row per day, both engines side by side, and the total.",
        footerHeading = "%nExample:%n",
        footer = "  tandem usage daily --since 2026-12-01 --breakdown model")
public final class UsageDailyCommand extends UsageReportCommand {
    @Override
    Report report(Ledger ledger, Query query) {
        return ledger.daily(query);
    }
}
