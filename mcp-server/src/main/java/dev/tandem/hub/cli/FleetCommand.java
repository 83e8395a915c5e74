package dev.tandem.hub.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tandem fleet}: hosts and their keys, the freeze switch, the audit log, enrolment (docs/fleet.md). */
@Command(
        name = "fleet",
        mixinStandardHelpOptions = true,
        description = "One hub for many machines: hosts, keys, freeze, audit (docs/fleet.md).",
        footerHeading = "%nExample:%n",
        footer = "  tandem fleet host add laptop",
        subcommands = {
            FleetHostCommand.class,
            FleetFreezeCommand.class,
            FleetThawCommand.class,
            FleetAuditCommand.class,
            FleetEnrollCommand.class,
            FleetPushUsageCommand.class
        })
public final class FleetCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
