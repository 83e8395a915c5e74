package dev.tandem.sync;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;

/** Entry point of the sync tool jar: {@code tandem sync push-runtime | pull-runtime | clean-runtime | check-sync} and
 * {@code tandem agents render}. */
public final class SyncMain {
    private SyncMain() {}

    public static void main(String[] args) {
        System.exit(commandLine(System.getenv(), args).execute(args));
    }

    /** Returns the whole command tree over an environment, with Tandem's error handling: {@code tandem: <problem>}, 2. */
    public static CommandLine commandLine(Map<String, String> env) {
        return commandLine(env, new String[0]);
    }

    /**
     * Returns the command tree for {@code args}: when they name a leaf command ({@code sync check-sync}), the tree
     * holds only that one, since picocli reads every registered command's annotations up front and that is a good
     * part of a cold command's start-up; otherwise (help, a typo) the whole tree, so usage and suggestions list
     * everything.
     */
    static CommandLine commandLine(Map<String, String> env, String[] args) {
        CommandLine cl = new CommandLine(new RootCommand());
        addCommands(cl, env, args);
        return CommandLines.finish(cl, CommandLines.version());
    }

    /**
     * Adds {@code sync} and {@code agents} with their subcommands to {@code root} (the hub's command tree adds them
     * too, so {@code tandem --help} lists every command): only the one leaf {@code args} name when they name one.
     */
    public static void addCommands(CommandLine root, Map<String, String> env, String[] args) {
        Map<String, Map<String, Supplier<Object>>> groups = new LinkedHashMap<>();
        Map<String, Supplier<Object>> sync = new LinkedHashMap<>();
        sync.put("push-runtime", () -> new PushCommand(env));
        sync.put("pull-runtime", () -> new PullCommand(env));
        sync.put("clean-runtime", () -> new CleanCommand(env));
        sync.put("check-sync", () -> new CheckCommand(env));
        groups.put("sync", sync);
        groups.put("agents", Map.of("render", () -> new AgentsRenderCommand(env)));
        String group = args.length > 0 ? args[0] : "";
        String leaf = args.length > 1 ? args[1] : "";
        boolean one = groups.containsKey(group) && groups.get(group).containsKey(leaf);
        for (Map.Entry<String, Map<String, Supplier<Object>>> g : groups.entrySet()) {
            if (one && !g.getKey().equals(group)) {
                continue;
            }
            CommandLine parent = new CommandLine(g.getKey().equals("sync") ? new SyncCommand() : new AgentsCommand());
            for (Map.Entry<String, Supplier<Object>> c : g.getValue().entrySet()) {
                if (!one || c.getKey().equals(leaf)) {
                    parent.addSubcommand(c.getKey(), c.getValue().get());
                }
            }
            root.addSubcommand(g.getKey(), parent);
        }
    }

    /** The root command: prints usage. */
    @CommandLine.Command(
            name = "tandem",
            mixinStandardHelpOptions = true,
            description = "Tandem sync tool.",
            footerHeading = "%nExample:%n",
            footer = "  tandem sync push-runtime --dry-run")
    static final class RootCommand implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }
}
