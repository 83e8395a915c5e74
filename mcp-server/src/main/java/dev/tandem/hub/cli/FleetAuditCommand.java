package dev.tandem.hub.cli;

import dev.tandem.core.cli.TerminalText;
import dev.tandem.core.fleet.AuditEntry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tandem fleet audit}: the admin actions, newest first. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "Show the fleet's audit log, newest first.",
        footerHeading = "%nExample:%n",
        footer = "  tandem fleet audit --limit 20")
public final class FleetAuditCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--limit", paramLabel = "N", description = "How many entries (default: 50).")
    int limit = 50;

    @Option(names = "--config", paramLabel = "FILE", description = "Hub configuration.")
    Path config;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (FleetStore store = FleetStore.open(config)) {
            for (AuditEntry e : store.fleet().audit(Math.max(1, Math.min(limit, 10_000)))) {
                out.printf(
                        "%s %-20s %-12s %-16s %s%n",
                        FleetHostCommand.time(e.at()),
                        // a host's name and what it sent are the remote host's: no control character of them acts here
                        TerminalText.safe(e.actor()),
                        TerminalText.safe(e.action()),
                        e.host().isEmpty() ? "-" : TerminalText.safe(e.host()),
                        TerminalText.safe(e.detail()));
            }
        }
        return 0;
    }
}
