package dev.tandem.hub.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tandem completion bash|zsh|fish}: prints a completion script for the whole command tree, made from the
 * same picocli model the commands are parsed with, so it never lists a command or option that is not there.
 */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        description = "Print a shell completion script (bash, zsh or fish) for every tandem command and option.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  source <(tandem completion bash)                          # bash, this shell",
            "  source <(tandem completion zsh)                           # zsh, this shell",
            "  tandem completion fish > ~/.config/fish/completions/tandem.fish"
        })
public final class CompletionCommand implements Callable<Integer> {
    /** The shells a script can be made for. */
    enum Shell {
        BASH,
        ZSH,
        FISH
    }

    @Spec
    CommandSpec spec;

    @Parameters(
            paramLabel = "SHELL",
            description = "bash, zsh or fish.",
            converter = ShellConverter.class,
            completionCandidates = ShellNames.class)
    Shell shell;

    @Override
    public Integer call() {
        CommandLine root = spec.commandLine().getParent();
        String name = root.getCommandName();
        String script = switch (shell) {
            // picocli's script is written for bash and zsh alike (zsh through bashcompinit)
            case BASH, ZSH -> AutoComplete.bash(name, root);
            case FISH -> fish(name, root);
        };
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** Returns a fish script: each command's subcommands after its own path, then its options. */
    static String fish(String name, CommandLine root) {
        StringBuilder out = new StringBuilder("# fish completion for " + name + ", made by 'tandem completion fish'\n");
        out.append("complete -c ").append(name).append(" -f\n");
        fishCommand(out, name, root, List.of());
        return out.toString();
    }

    private static void fishCommand(StringBuilder out, String name, CommandLine line, List<String> path) {
        String condition = condition(line, path);
        for (Map.Entry<String, CommandLine> sub : line.getSubcommands().entrySet()) {
            out.append("complete -c ")
                    .append(name)
                    .append(" -n ")
                    .append(quote(condition))
                    .append(" -a ")
                    .append(quote(sub.getKey()))
                    .append(" -d ")
                    .append(quote(first(sub.getValue().getCommandSpec())))
                    .append('\n');
        }
        for (OptionSpec option : line.getCommandSpec().options()) {
            if (option.hidden()) {
                continue;
            }
            out.append("complete -c ").append(name).append(" -n ").append(quote(condition));
            for (String n : option.names()) {
                out.append(n.startsWith("--") ? " -l " + n.substring(2) : " -s " + n.substring(1));
            }
            if (option.arity().max() > 0) {
                out.append(" -r");
                if (option.completionCandidates() != null) {
                    List<String> values = new ArrayList<>();
                    option.completionCandidates().forEach(values::add);
                    out.append(" -a ").append(quote(String.join(" ", values)));
                }
            }
            String[] d = option.description();
            out.append(" -d ").append(quote(d.length == 0 ? "" : d[0])).append('\n');
        }
        for (Map.Entry<String, CommandLine> sub : line.getSubcommands().entrySet()) {
            List<String> next = new ArrayList<>(path);
            next.add(sub.getKey());
            fishCommand(out, name, sub.getValue(), next);
        }
    }

    /** Returns the fish condition "these words were typed, and no deeper subcommand yet". */
    private static String condition(CommandLine line, List<String> path) {
        List<String> parts = new ArrayList<>();
        if (path.isEmpty()) {
            parts.add("__fish_use_subcommand");
        } else {
            path.forEach(p -> parts.add("__fish_seen_subcommand_from " + p));
            if (!line.getSubcommands().isEmpty()) {
                parts.add("not __fish_seen_subcommand_from "
                        + String.join(" ", line.getSubcommands().keySet()));
            }
        }
        return String.join("; and ", parts);
    }

    private static String first(CommandSpec spec) {
        String[] d = spec.usageMessage().description();
        return d.length == 0 ? "" : d[0];
    }

    private static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** Converts a shell's name, naming the ones there are when it is none of them. */
    static final class ShellConverter implements CommandLine.ITypeConverter<Shell> {
        @Override
        public Shell convert(String value) {
            try {
                return Shell.valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(
                        "unknown shell '" + value + "'; expected bash, zsh or fish");
            }
        }
    }

    /** The shell names, for completing {@code tandem completion <TAB>}. */
    static final class ShellNames extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        ShellNames() {
            super(List.of("bash", "zsh", "fish"));
        }
    }
}
