package dev.tandem.sync;

import dev.tandem.core.config.ConfigEdit;
import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.HubConfigLoader;
import dev.tandem.core.config.HubFlags;
import dev.tandem.core.config.OwnerOnly;
import dev.tandem.sync.engine.Backups;
import dev.tandem.sync.engine.DiskWriter;
import dev.tandem.sync.engine.DryRunWriter;
import dev.tandem.sync.engine.InputException;
import dev.tandem.sync.engine.KeyWriter;
import dev.tandem.sync.engine.Writer;
import dev.tandem.sync.runtime.AuthMode;
import dev.tandem.sync.runtime.Engine;
import dev.tandem.sync.runtime.Manifest;
import dev.tandem.sync.runtime.RuntimeModel;
import dev.tandem.sync.runtime.Settings;
import dev.tandem.sync.runtime.Sources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The options every sync subcommand takes, and the settings they resolve to. */
final class CommonOptions {
    static final int BACKUPS_KEPT = 20;

    /** The command this mixin is part of, for warnings on its stderr. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(
            names = "--engine",
            paramLabel = "codex|claude|all",
            description = "Which client to act on (default: ${DEFAULT-VALUE}).",
            defaultValue = "all",
            converter = EngineConverter.class)
    Engine engine = Engine.ALL;

    @Option(names = "--home", paramLabel = "DIR", description = "Use DIR instead of $HOME for every target path.")
    Path home;

    @Option(
            names = "--repo",
            paramLabel = "DIR",
            description = "The checkout whose clients/ folder is the source (default: the one holding bin/tandem).")
    Path repo;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "The hub's configuration (default: ~/.tandem/hub.toml under the home).")
    Path config;

    @Option(
            names = "--auth",
            paramLabel = "helper|env",
            description = "How clients get the token: helper script (default) or $TANDEM_TOKEN.",
            converter = AuthConverter.class)
    AuthMode auth;

    /**
     * Resolves the settings: the hub's configuration through the one loader the hub uses (under {@code --home} when
     * given), loaded once here for the whole command.
     */
    Settings settings(Map<String, String> env) {
        return settings(env, true);
    }

    /** Resolves the settings; {@code localSource}: refuse a home with neither a source folder nor a clients/. */
    Settings settings(Map<String, String> env, boolean localSource) {
        Path workingDir = Path.of("").toAbsolutePath();
        Path h = Optional.ofNullable(home)
                .orElseGet(() -> Path.of(System.getProperty("user.home")))
                .toAbsolutePath()
                .normalize();
        Path r = Optional.ofNullable(repo)
                .or(() -> Optional.ofNullable(System.getProperty("tandem.repo")).map(Path::of))
                .orElse(workingDir)
                .toAbsolutePath()
                .normalize();
        HubConfig hub = new HubConfigLoader(h, workingDir, r, env).load(Optional.ofNullable(config), HubFlags.none());
        if (localSource && !Files.isDirectory(hub.sourceDir()) && !Files.isDirectory(r.resolve("clients"))) {
            throw InputException.of(
                    r, "no clients/ folder here and no " + hub.sourceDir() + "; run 'tandem init', or pass --repo DIR");
        }
        if (mixee != null) {
            hub.warnings().forEach(w -> mixee.commandLine().getErr().println("tandem: warning: " + w));
            mixee.commandLine().getErr().flush();
        }
        return Settings.of(hub, r, env, engine, Optional.ofNullable(auth));
    }

    /**
     * Writes {@code --auth} into {@code [sync] auth} of the configuration when it differs from what the file says,
     * so the next push and check-sync use the same mode instead of switching back to the default.
     */
    void rememberAuth(Settings settings, CommandSpec spec) {
        if (auth == null) {
            return;
        }
        String word = auth.name().toLowerCase(java.util.Locale.ROOT);
        Optional<String> inFile = settings.config().reader("sync").nonBlank("auth");
        if (inFile.map(v -> v.equalsIgnoreCase(word)).orElse(auth == AuthMode.HELPER)) {
            return;
        }
        Path file = settings.config().file();
        ConfigEdit.set(file, "sync", "auth", "\"" + word + "\"");
        spec.commandLine()
                .getErr()
                .println("tandem: remembered [sync] auth = \"" + word + "\" in " + file
                        + " (the next push and check-sync use it; --auth changes it again)");
        spec.commandLine().getErr().flush();
    }

    static Sources sources(Settings settings) {
        return Sources.load(settings.clients(), settings.sourceLabel());
    }

    static Manifest manifest(Settings settings) {
        return Manifest.load(settings.manifest(), settings.home());
    }

    /** Creates {@code ~/.tandem} owner-only (0700) when missing, or tightens it (it holds the token and backups). */
    static void privateTandemDir(Settings settings) {
        OwnerOnly.dir(settings.tandemDir());
    }

    /** Builds the push targets: what check-sync, push and agents render share. */
    static RuntimeModel.Build pushBuild(Settings settings) {
        return RuntimeModel.push(settings, sources(settings), manifest(settings));
    }

    /**
     * Returns the writer push and clean hand their plan: the dry run prints the plan and the diff; the real one
     * writes with backups into a private {@code ~/.tandem}. The engine never asks which one it has.
     */
    static Writer writer(Settings settings, CommandSpec spec, boolean dryRun) {
        return writer(settings, spec, dryRun, KeyWriter.NONE);
    }

    /** As above, the real one writing the key files a plan names with {@code keys}. */
    static Writer writer(Settings settings, CommandSpec spec, boolean dryRun, KeyWriter keys) {
        if (dryRun) {
            return new DryRunWriter(spec.commandLine().getOut());
        }
        privateTandemDir(settings);
        return new DiskWriter(backups(settings), spec.commandLine().getOut(), keys);
    }

    /** Prints the notices of a build to stderr as {@code tandem: <notice>}. */
    static void printNotices(RuntimeModel.Build build, CommandSpec spec) {
        build.notices().forEach(n -> spec.commandLine().getErr().println("tandem: " + n));
        spec.commandLine().getErr().flush();
    }

    static Backups backups(Settings settings) {
        return new Backups(settings.backups(), settings.home(), BACKUPS_KEPT, Clock.systemUTC());
    }

    /** Converts {@code codex|claude|all}. */
    static final class EngineConverter implements picocli.CommandLine.ITypeConverter<Engine> {
        @Override
        public Engine convert(String value) {
            return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "codex" -> Engine.CODEX;
                case "claude" -> Engine.CLAUDE;
                case "all" -> Engine.ALL;
                default ->
                    throw new picocli.CommandLine.TypeConversionException(
                            "'" + value + "' is not an engine; expected codex, claude or all");
            };
        }
    }

    /** Converts {@code helper|env}. */
    static final class AuthConverter implements picocli.CommandLine.ITypeConverter<AuthMode> {
        @Override
        public AuthMode convert(String value) {
            return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "helper" -> AuthMode.HELPER;
                case "env" -> AuthMode.ENV;
                default ->
                    throw new picocli.CommandLine.TypeConversionException(
                            "'" + value + "' is not an auth mode; expected helper or env");
            };
        }
    }
}
