package dev.tandem.sync;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tandem sync}: prints usage when called without a subcommand. */
@Command(
        name = "sync",
        mixinStandardHelpOptions = true,
        description = "Deploy the hub connection, skills, commands and shared memory to Codex and Claude Code.",
        footerHeading = "%nExamples:%n",
        footer = {"  tandem sync push-runtime", "  tandem sync check-sync --json"})
final class SyncCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
