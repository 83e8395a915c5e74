package dev.tandem.sync;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tandem agents}: prints usage when called without a subcommand. */
@Command(
        name = "agents",
        mixinStandardHelpOptions = true,
        description = "The agent documents: ~/.codex/AGENTS.md and ~/.claude/CLAUDE.md.",
        footerHeading = "%nExample:%n",
        footer = "  tandem agents render --engine claude")
final class AgentsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
