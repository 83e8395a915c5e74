package dev.tandem.hub.cli;

import dev.tandem.hub.usage.Ledger;
import dev.tandem.hub.usage.Query;
import dev.tandem.hub.usage.Report;
import picocli.CommandLine.Command;

/** {@code tandem usage project}: One row per project (the folder the engine ran in), both engines side by side. */
@Command(
        name = "project",
        mixinStandardHelpOptions = true,
        description = "One row per project (the folder the engine ran in), both engines side by side.",
        footerHeading = "%nExample:%n",
        footer = "  tandem usage project --engine claude")
public final class UsageProjectCommand extends UsageReportCommand {
    @Override
    Report report(Ledger ledger, Query query) {
        return ledger.projects(query);
    }
}
