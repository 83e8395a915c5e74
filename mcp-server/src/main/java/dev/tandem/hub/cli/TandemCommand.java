package dev.tandem.hub.cli;

import dev.tandem.hub.HubVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The root command: prints usage (every command of the tree, hub and sync tool) when called without one. */
@Command(
        name = "tandem",
        mixinStandardHelpOptions = true,
        versionProvider = TandemCommand.Version.class,
        description = "One MCP hub and one config source for Codex CLI and Claude Code.",
        commandListHeading = "%nCommands (each has --help, with an example):%n",
        footerHeading = "%nExamples:%n",
        footer = {
            "  tandem serve                       # run the hub on 127.0.0.1:8765",
            "  tandem sync push-runtime           # connect Codex and Claude Code to it",
            "  tandem sync check-sync --help      # how to check for drift"
        })
public final class TandemCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Returns the renderer that lists the whole command tree in {@code tandem --help}. */
    public static IHelpSectionRenderer tree() {
        return new CommandTree();
    }

    /** Reports the hub version for {@code --version}. */
    public static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"tandem " + HubVersion.get()};
        }
    }
}
