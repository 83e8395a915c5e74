package dev.tandem.sync;

import dev.tandem.core.cli.ErrorLine;
import dev.tandem.core.cli.TerminalText;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What every Tandem command tree gets, whichever jar runs it: {@code --help} and {@code --version} on every command
 * (so {@code tandem sync --version} answers), {@code tandem help [COMMAND...]}, and one error line instead of a
 * stack trace.
 */
public final class CommandLines {
    private CommandLines() {}

    /** Returns the version line of this build: the jar's version, or {@code dev} when run from classes. */
    public static IVersionProvider version() {
        return () -> {
            String v = CommandLines.class.getPackage().getImplementationVersion();
            return new String[] {"tandem " + (v == null ? "dev" : v)};
        };
    }

    /**
     * Finishes a tree: {@code help} under the root, the standard help and version options and the version provider
     * on every command, Tandem's error handlers. Call it after every subcommand is added.
     */
    public static CommandLine finish(CommandLine root, IVersionProvider version) {
        if (!root.getSubcommands().containsKey("help")) {
            root.addSubcommand("help", new HelpCommand());
        }
        every(root, version);
        root.setExecutionExceptionHandler((ex, line, parsed) -> {
            line.getErr().println(ErrorLine.of(ex));
            line.getErr().flush();
            return 2;
        });
        root.setParameterExceptionHandler((ex, rest) -> {
            CommandLine c = ex.getCommandLine();
            // the message quotes the argument as typed (a path, a value a script passed on)
            c.getErr().println("tandem: " + TerminalText.lines(String.valueOf(ex.getMessage())));
            c.usage(c.getErr());
            return 2;
        });
        return root;
    }

    private static void every(CommandLine line, IVersionProvider version) {
        CommandSpec spec = line.getCommandSpec();
        if (spec.findOption("--version") == null) {
            spec.mixinStandardHelpOptions(true);
        }
        spec.versionProvider(version);
        List<CommandLine> subs = new ArrayList<>(line.getSubcommands().values());
        subs.forEach(s -> every(s, version));
    }

    /** {@code tandem help [COMMAND...]}: the usage of the root, or of the command the names lead to. */
    @CommandLine.Command(
            name = "help",
            description = "Show the help of tandem or of a command: tandem help sync push-runtime.",
            footerHeading = "%nExample:%n",
            footer = "  tandem help sync check-sync")
    static final class HelpCommand implements java.util.concurrent.Callable<Integer> {
        @CommandLine.Spec
        CommandSpec spec;

        @CommandLine.Parameters(
                paramLabel = "COMMAND",
                arity = "0..*",
                description = "A command, e.g. sync push-runtime.")
        List<String> names = new ArrayList<>();

        @Override
        public Integer call() {
            CommandLine root = spec.commandLine().getParent();
            CommandLine at = root;
            for (String name : names) {
                CommandLine next = at.getSubcommands().get(name);
                if (next == null) {
                    spec.commandLine()
                            .getErr()
                            .println("tandem: no command '" + TerminalText.safe(String.join(" ", names))
                                    + "'; the commands of '"
                                    + at.getCommandSpec().qualifiedName() + "' are: "
                                    + String.join(", ", at.getSubcommands().keySet()));
                    return 2;
                }
                at = next;
            }
            at.usage(spec.commandLine().getOut(), root.getColorScheme());
            return 0;
        }
    }
}
