package dev.tandem.hub.cli;

import dev.tandem.hub.HubVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The root command: prints usage when called without a subcommand. */
@Command(
        name = "tandem",
        mixinStandardHelpOptions = true,
        versionProvider = TandemCommand.Version.class,
        description = "One MCP hub and one config source for Codex CLI and Claude Code.")
public final class TandemCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Reports the hub version for {@code --version}. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"tandem " + HubVersion.get()};
        }
    }
}
