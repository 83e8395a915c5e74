package dev.tandem.sync;

import dev.tandem.core.cli.TerminalText;
import dev.tandem.sync.engine.DiskWriter;
import dev.tandem.sync.engine.DryRunWriter;
import dev.tandem.sync.engine.Planner;
import dev.tandem.sync.engine.Writer;
import dev.tandem.sync.runtime.PullModel;
import dev.tandem.sync.runtime.Settings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pull-runtime}: copies managed content changed in the clients' homes back into clients/. */
@Command(
        name = "pull-runtime",
        mixinStandardHelpOptions = true,
        description =
                "Copy the managed block and the skills, commands and memory changed at runtime back into your source (~/.tandem/source, or the checkout's clients/).",
        footerHeading = "%nExample:%n",
        footer = "  tandem sync pull-runtime --dry-run")
final class PullCommand implements Callable<Integer> {
    private final Map<String, String> env;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions options = new CommonOptions();

    @Option(names = "--force", description = "Overwrite repo files even when they have uncommitted changes.")
    boolean force;

    @Option(names = "--dry-run", description = "Print what would be pulled; write nothing.")
    boolean dryRun;

    @Option(
            names = "--new",
            description = "Also adopt the skills and commands you made in the clients' own folders into"
                    + " shared/ of your source (without it they are only listed).")
    boolean adoptNew;

    @Option(
            names = "--accept",
            paramLabel = "FILE",
            description = "Take FILE, a skill's script or other file that is not Markdown, changed in a client's folder"
                    + " (or, with --new, in a new skill) (repeatable); without it such a file is named and left out,"
                    + " since it runs as it is in both clients once pushed.")
    List<Path> accept = new ArrayList<>();

    PullCommand(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    public Integer call() {
        Settings settings = options.settings(env);
        Set<Path> accepted = new LinkedHashSet<>();
        accept.forEach(f -> accepted.add(f.toAbsolutePath().normalize()));
        PullModel.Build build = PullModel.build(settings, CommonOptions.manifest(settings), force, adoptNew, accepted);
        PrintWriter out = spec.commandLine().getOut();
        // notes name files and front-matter keys from the clients' folders, which agents write
        build.notes().forEach(n -> out.println(TerminalText.lines(n)));
        var plan = Planner.plan(build.targets(), List.of());
        Writer writer = dryRun ? new DryRunWriter(out) : new DiskWriter(CommonOptions.backups(settings), out);
        return writer.apply(plan);
    }
}
