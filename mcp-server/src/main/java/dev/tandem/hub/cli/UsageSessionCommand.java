package dev.tandem.hub.cli;

import dev.tandem.hub.usage.Ledger;
import dev.tandem.hub.usage.Query;
import dev.tandem.hub.usage.Report;
import picocli.CommandLine.Command;

/** {@code tandem usage session}: One row per engine session: its project, last activity, cost and the hub tools it called. */
@Command(
        name = "session",
        mixinStandardHelpOptions = true,
        description = "One row per engine session: its project, last activity, cost and the hub tools it called.",
        footerHeading = "%nExample:%n",
        footer = "  tandem usage session --since 2026-12-01")
public final class UsageSessionCommand extends UsageReportCommand {
    @Override
    Report report(Ledger ledger, Query query) {
        return ledger.sessions(query);
    }
}
