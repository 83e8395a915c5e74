package dev.tandem.sync;

import dev.tandem.core.cli.TerminalText;
import dev.tandem.core.hash.Sha256;
import dev.tandem.sync.engine.DeployedFile;
import dev.tandem.sync.engine.DiskWriter;
import dev.tandem.sync.engine.DryRunWriter;
import dev.tandem.sync.engine.InputException;
import dev.tandem.sync.engine.Planner;
import dev.tandem.sync.engine.Writer;
import dev.tandem.sync.runtime.PullModel;
import dev.tandem.sync.runtime.Settings;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code pull-runtime}: copies managed content changed in the clients' homes back into clients/. */
@Command(
        name = "pull-runtime",
        mixinStandardHelpOptions = true,
        description =
                "Copy the managed block and the skills, commands and memory changed at runtime back into your source (~/.tandem/source, or the checkout's clients/).",
        footerHeading = "%nExamples:%n",
        footer = {
            "  tandem sync pull-runtime --dry-run",
            "  tandem sync pull-runtime \\",
            "    --accept ~/.codex/skills/recall/run.sh@3f9a1c0b22de41a07c5e9d13b8f26a4e"
        })
final class PullCommand implements Callable<Integer> {
    /**
     * {@code FILE@SHA}: a file and the start of the sha256 of the bytes the person read, which must be at least 32 hex
     * digits (128 bits): the agent writes both versions, so a shorter start can be met by a birthday search.
     */
    private static final Pattern NAMED = Pattern.compile("(.+)@([0-9a-fA-F]+)");

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
            paramLabel = "FILE@SHA",
            description = "Take FILE, changed in a client's folder (or, with --new, new there) and held back because it"
                    + " runs as it is in both clients once pushed: a skill's file other than SKILL.md, or a skill or"
                    + " command gaining a line Claude Code runs as a shell command (repeatable). Give it as the note"
                    + " prints it, with the first 32 hex digits of the sha256 of the bytes you read: a file changed since is"
                    + " refused, and so is FILE without @SHA.")
    List<String> accept = new ArrayList<>();

    PullCommand(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    public Integer call() {
        Settings settings = options.settings(env);
        Map<Path, String> accepted = new LinkedHashMap<>();
        List<String> plain = new ArrayList<>();
        for (String a : accept) {
            Matcher named = NAMED.matcher(a);
            if (named.matches()) {
                int digits = named.group(2).length();
                boolean shaLength = digits >= PullModel.SHA_SHOWN && digits <= 64;
                if (!shaLength && Files.exists(Path.of(a), LinkOption.NOFOLLOW_LINKS)) {
                    // a file whose own name ends in @hex (run@beef), named without the sha256 of its bytes
                    plain.add(a);
                    continue;
                }
                if (!shaLength) {
                    throw InputException.of(
                            Path.of(named.group(1)),
                            "--accept " + a + " gives " + digits + " hex digits of the sha256; give it as pull-runtime"
                                    + " prints it, " + PullModel.SHA_SHOWN + " hex digits (or all 64): a shorter"
                                    + " start can be matched by other bytes; nothing was written");
                }
                accepted.put(Path.of(named.group(1)), named.group(2).toLowerCase(Locale.ROOT));
            } else {
                plain.add(a);
            }
        }
        if (!plain.isEmpty()) {
            throw plainRefused(plain);
        }
        PullModel.Build build = PullModel.build(settings, CommonOptions.manifest(settings), force, adoptNew, accepted);
        PrintWriter out = spec.commandLine().getOut();
        // notes name files and front-matter keys from the clients' folders, which agents write
        build.notes().forEach(n -> out.println(TerminalText.lines(n)));
        if (build.refusal().isPresent()) {
            throw build.refusal().get();
        }
        var plan = Planner.plan(build.targets(), List.of());
        Writer writer = dryRun ? new DryRunWriter(out) : new DiskWriter(CommonOptions.backups(settings), out);
        return writer.apply(plan);
    }

    /**
     * Returns the refusal of files named without the sha256 of the bytes the person read: the file could hold other
     * bytes by the time pull reads it (an agent's, written since the person looked). It gives the form that takes
     * each, with the sha256 of what it holds now.
     */
    private ParameterException plainRefused(List<String> files) {
        StringBuilder forms = new StringBuilder();
        for (String f : files) {
            forms.append(" --accept ")
                    .append(f)
                    .append('@')
                    .append(sha256Now(Path.of(f))
                            .map(sha -> sha.substring(0, PullModel.SHA_SHOWN))
                            .orElse("<sha256 pull-runtime prints for it>"));
        }
        return new ParameterException(
                spec.commandLine(),
                String.join(", ", files) + ": --accept takes a file only as FILE@SHA, with the sha256 of the bytes you"
                        + " read: a plain FILE would take whatever it holds by the time pull reads it; read "
                        + (files.size() == 1 ? "it" : "them") + ", then pass" + forms + "; nothing was written");
    }

    /**
     * Returns the sha256 of the regular file {@code file} names, read now as pull reads a deployed file (never through
     * a link, never a FIFO or device, at most {@link DeployedFile#MAX_BYTES}); empty if there is none or it is refused.
     */
    private static Optional<String> sha256Now(Path file) {
        try {
            return DeployedFile.read(file).map(read -> Sha256.hex(read.bytes()));
        } catch (InputException | UncheckedIOException e) {
            return Optional.empty();
        }
    }
}
