package dev.tandem.hub.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tandem memory}: back up and move the memory store ({@code export}, {@code import}). */
@Command(
        name = "memory",
        mixinStandardHelpOptions = true,
        description = "Back up and move memories as JSON Lines (one line per version).",
        footerHeading = "%nExample:%n",
        footer = "  tandem memory export --out memories.jsonl",
        subcommands = {MemoryExportCommand.class, MemoryImportCommand.class})
public final class MemoryCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
