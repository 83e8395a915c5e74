package dev.tandem.hub;

import dev.tandem.hub.cli.ServeCommand;
import dev.tandem.hub.cli.TandemCommand;
import dev.tandem.hub.cli.TokenCommand;
import java.io.IOException;
import java.io.InputStream;
import java.util.logging.LogManager;
import picocli.CommandLine;

/** Entry point of the hub jar: {@code tandem serve}, {@code tandem token}, {@code tandem usage}, …. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        configureLogging();
        System.exit(commandLine().execute(args));
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

    /** Returns the command tree with Tandem's error handling: {@code tandem: <problem>}, exit 2. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new TandemCommand())
                .addSubcommand(new ServeCommand())
                .addSubcommand(new dev.tandem.hub.cli.MemoryCommand())
                .addSubcommand(new TokenCommand())
                .addSubcommand(new dev.tandem.hub.cli.DashboardCommand())
                .addSubcommand(new dev.tandem.hub.cli.UsageCommand());
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            line.getErr().println("tandem: " + ex.getMessage());
            return 2;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("tandem: " + ex.getMessage());
            ex.getCommandLine().usage(ex.getCommandLine().getErr());
            return 2;
        });
        return cl;
    }
}
