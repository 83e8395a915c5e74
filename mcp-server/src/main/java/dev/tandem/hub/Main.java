package dev.tandem.hub;

import dev.tandem.hub.cli.CompletionCommand;
import dev.tandem.hub.cli.ServeCommand;
import dev.tandem.hub.cli.TandemCommand;
import dev.tandem.hub.cli.TokenCommand;
import dev.tandem.sync.CommandLines;
import dev.tandem.sync.SyncMain;
import java.io.IOException;
import java.io.InputStream;
import java.util.logging.LogManager;
import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * Entry point of the hub jar and of Tandem's one command tree: the hub's commands ({@code serve}, {@code token},
 * {@code dashboard}, {@code memory}, {@code jobs}, {@code usage}) and the sync tool's ({@code sync …},
 * {@code agents …}).
 * {@code bin/tandem} runs the sync tool's commands from the sync jar, which starts faster; they run here too.
 */
public final class Main {
    private static final String SERVE = "serve";
    private static final String USAGE = "usage";

    private Main() {}

    public static void main(String[] args) {
        configureLogging();
        System.exit(commandLine(args).execute(args));
    }

    /** Applies the hub's quiet logging unless the person chose their own with java.util.logging.config.file. */
    private static void configureLogging() {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return;
        }
        try (InputStream in = Main.class.getResourceAsStream("/tandem-logging.properties")) {
            if (in != null) {
                LogManager.getLogManager().readConfiguration(in);
            }
        } catch (IOException e) {
            System.err.println("tandem: logging configuration not applied: " + e.getMessage());
        }
    }

    /** Returns the whole command tree with Tandem's error handling: {@code tandem: <problem>}, exit 2. */
    public static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * Returns the root with {@code usage} alone below it, for the running hub's answers to {@code tandem usage}: the
     * same commands, options, help and errors as in the whole tree, without the reflection over the others.
     */
    public static CommandLine usageCommandLine() {
        CommandLine cl = new CommandLine(new TandemCommand()).addSubcommand(new dev.tandem.hub.cli.UsageCommand());
        CommandLines.finish(cl, new TandemCommand.Version());
        return cl;
    }

    /**
     * Returns the command tree for {@code args}: {@code serve} gets the root and itself only, so the hub's start
     * does not pay for reading the other commands (picocli's reflection over each, and the classes they name), nor does
     * {@code usage} (the root and itself, as the running hub answers it); another
     * hub command gets the hub's commands only, so it does not pay for reading the sync tool's; anything else (help,
     * {@code sync …}, a typo) the whole tree.
     */
    static CommandLine commandLine(String[] args) {
        if (args.length > 0 && args[0].equals(SERVE)) {
            // the hub's start: the other commands' classes (JGit's signed jar among them) are not even loaded
            CommandLine serve = new CommandLine(new TandemCommand()).addSubcommand(new ServeCommand());
            CommandLines.finish(serve, new TandemCommand.Version());
            return serve;
        }
        if (args.length > 0 && args[0].equals(USAGE)) {
            return usageCommandLine(); // `tandem usage` reads the logs: the other commands' reflection is not paid
        }
        CommandLine cl = new CommandLine(new TandemCommand())
                .addSubcommand(new ServeCommand())
                .addSubcommand(new TokenCommand())
                .addSubcommand(new dev.tandem.hub.cli.InitCommand())
                .addSubcommand(new dev.tandem.hub.cli.DashboardCommand())
                .addSubcommand(new dev.tandem.hub.cli.MemoryCommand())
                .addSubcommand(new dev.tandem.hub.cli.StoreCommand())
                .addSubcommand(new dev.tandem.hub.cli.FleetCommand())
                .addSubcommand(new dev.tandem.hub.cli.UsageCommand())
                .addSubcommand(new dev.tandem.hub.cli.JobsCommand())
                .addSubcommand(new dev.tandem.hub.cli.DoctorCommand())
                .addSubcommand(new dev.tandem.hub.cli.ServiceCommand());
        if (args.length == 0 || !cl.getSubcommands().containsKey(args[0])) {
            SyncMain.addCommands(cl, System.getenv(), args);
        }
        cl.addSubcommand(new CompletionCommand());
        cl.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, TandemCommand.tree());
        CommandLines.finish(cl, new TandemCommand.Version());
        return cl;
    }
}
