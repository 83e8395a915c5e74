package dev.tandem.hub.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tandem jobs}: background Codex and Claude Code runs on the running hub. */
@Command(
        name = "jobs",
        mixinStandardHelpOptions = true,
        description = {
            "Start, follow and stop background Codex and Claude Code runs on the running hub (docs/jobs.md).",
            "",
            "Example:",
            "  id=$(tandem jobs start --engine claude --one-shot -- 'Review src/ for unsafe file handling')",
            "  tandem jobs watch $id"
        },
        subcommands = {
            JobsStartCommand.class,
            JobsListCommand.class,
            JobsStatusCommand.class,
            JobsOutputCommand.class,
            JobsWatchCommand.class,
            JobsSendCommand.class,
            JobsApproveCommand.class,
            JobsKillCommand.class,
            JobsResumeCommand.class,
            JobsCleanCommand.class
        })
public final class JobsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
