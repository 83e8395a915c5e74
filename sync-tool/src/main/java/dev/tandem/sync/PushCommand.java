package dev.tandem.sync;

import dev.tandem.core.config.OwnerOnly;
import dev.tandem.core.config.TokenFile;
import dev.tandem.sync.runtime.RuntimeModel;
import dev.tandem.sync.runtime.Settings;
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

/** {@code push-runtime}: writes the hub entry, skills, commands and memory into the clients' homes. */
@Command(
        name = "push-runtime",
        mixinStandardHelpOptions = true,
        description = "Write the hub connection, skills, commands and shared memory into ~/.codex and ~/.claude.",
        footerHeading = "%nExample:%n",
        footer =
                "  tandem sync push-runtime --engine codex --dry-run%n  tandem sync push-runtime --from https://hub.lan:8443")
final class PushCommand implements Callable<Integer> {
    private final Map<String, String> env;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions options = new CommonOptions();

    @Mixin
    FromOptions from = new FromOptions();

    @Option(names = "--dry-run", description = "Print the plan and the diff; write nothing.")
    boolean dryRun;

    @Option(
            names = "--force",
            paramLabel = "FILE",
            description = "Replace FILE even though it was edited since the last push (repeatable); without it an"
                    + " edited file is left as it is and push exits 1.")
    List<Path> force = new ArrayList<>();

    PushCommand(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    public Integer call() {
        Settings settings = from.wire(options.settings(env, !from.active()));
        Set<Path> forced = new LinkedHashSet<>();
        force.forEach(f -> forced.add(f.toAbsolutePath().normalize()));
        RuntimeModel.Build build;
        // with --from, every file arrived and matched its sha256 before anything is planned
        try (FromOptions.Staged sources = from.sources(settings)) {
            build = RuntimeModel.push(settings, sources.sources(), CommonOptions.manifest(settings), forced);
        }
        var plan = FleetKeyCheck.with(build.plan(), settings);
        CommonOptions.printNotices(build, spec);
        if (!dryRun) {
            // the helper's folder is Tandem's own: owner-only, like the rest of ~/.tandem
            CommonOptions.privateTandemDir(settings);
            if (settings.auth() == dev.tandem.sync.runtime.AuthMode.HELPER) {
                OwnerOnly.dir(settings.helper().getParent());
            }
        }
        // the engines' fleet keys the plan names, written after every other file (never backed up or diffed)
        int exit = CommonOptions.writer(
                        settings,
                        spec,
                        dryRun,
                        file -> settings.fleet().orElseThrow().writeKey(settings.tandemDir(), file))
                .apply(plan);
        if (exit == 0 && !dryRun) {
            // only after a push that wrote everything: a refused push leaves the home as it was
            engineCredentials(settings);
            options.rememberAuth(settings, spec);
        }
        return exit;
    }

    /**
     * Makes each pushed engine's own credential (0600, {@code tokens/ENGINE} beside the person's token) when it is
     * missing: a new home, a home pushed before engines had their own, or one whose credential was revoked. An
     * existing one is kept, so a push never signs a running client out. On a machine wired to a fleet hub with its
     * host key, none: each engine's derived key is a key file of the plan, written (owner-only) by the writer.
     */
    private static void engineCredentials(Settings settings) {
        if (settings.fleet()
                .filter(dev.tandem.sync.runtime.FleetWiring::engineKeys)
                .isPresent()) {
            return;
        }
        if (settings.engine().codex()) {
            new TokenFile(settings.engineTokenFile("codex")).loadOrCreate();
        }
        if (settings.engine().claude()) {
            new TokenFile(settings.engineTokenFile("claude")).loadOrCreate();
        }
    }
}
