package dev.tandem.sync;

import dev.tandem.sync.engine.InputException;
import java.io.UncheckedIOException;
import java.util.Map;
import picocli.CommandLine;

/** Entry point of the sync tool jar: {@code tandem sync push-runtime | pull-runtime | clean-runtime | check-sync} and
 * {@code tandem agents render}. */
public final class SyncMain {
    private SyncMain() {}

    public static void main(String[] args) {
        System.exit(commandLine(System.getenv()).execute(args));
    }

    /** Returns the command tree over an environment, with Tandem's error handling: {@code tandem: <problem>}, 2. */
    public static CommandLine commandLine(Map<String, String> env) {
        CommandLine sync = new CommandLine(new SyncCommand())
                .addSubcommand(new PushCommand(env))
                .addSubcommand(new PullCommand(env))
                .addSubcommand(new CleanCommand(env))
                .addSubcommand(new CheckCommand(env));
        CommandLine agents = new CommandLine(new AgentsCommand()).addSubcommand(new AgentsRenderCommand(env));
        CommandLine cl =
                new CommandLine(new RootCommand()).addSubcommand("sync", sync).addSubcommand("agents", agents);
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            line.getErr().println("tandem: " + message(ex));
            line.getErr().flush();
            return 2;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("tandem: " + ex.getMessage());
            c.usage(c.getErr());
            return 2;
        });
        return cl;
    }

    private static String message(Exception ex) {
        if (ex instanceof InputException || ex instanceof UncheckedIOException) {
            return ex.getMessage();
        }
        return ex.getClass().getSimpleName() + ": " + ex.getMessage();
    }

    /** The root command: prints usage. */
    @CommandLine.Command(name = "tandem", mixinStandardHelpOptions = true, description = "Tandem sync tool.")
    static final class RootCommand implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }
}
