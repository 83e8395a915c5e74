package dev.tandem.hub.cli;

import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.HubFlags;
import dev.tandem.core.config.TokenFile;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tandem token}: prints the person's bearer token, creating it (mode 0600) on first use; with {@code --engine}
 * the engine's own credential instead ({@code tokens/codex}, {@code tokens/claude} beside it), which {@code
 * --rotate} replaces and {@code --revoke} deletes without touching the others.
 */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = "Print the hub's bearer token (created on first use, mode 0600); with --engine, that engine's own"
                + " credential.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  export TANDEM_TOKEN=\"$(tandem token)\"",
            "  tandem token --engine codex --rotate && tandem sync push-runtime",
            "  tandem token --engine claude --revoke"
        })
public final class TokenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Token file (default: ~/.tandem/token).")
    Path tokenFile;

    @Option(names = "--config", paramLabel = "FILE", description = "Hub configuration (default: ~/.tandem/hub.toml).")
    Path config;

    @Option(names = "--rotate", description = "Replace the token with a new one; clients pick it up on reconnect.")
    boolean rotate;

    @Option(
            names = "--engine",
            paramLabel = "ENGINE",
            description = "Act on this engine's own credential (codex or claude) instead of the person's token.")
    String engine;

    @Option(
            names = "--revoke",
            description = "Delete the engine's credential (needs --engine): the hub refuses it from the next request"
                    + " on; the next 'tandem sync push-runtime' makes a new one.")
    boolean revoke;

    @Override
    public Integer call() {
        if (revoke && (engine == null || rotate)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--revoke needs --engine codex|claude and cannot go with --rotate");
        }
        HubFlags flags = new HubFlags(null, null, null, tokenFile, null, null, null, null, null, null);
        HubConfig cfg = Environment.loader().load(Optional.ofNullable(config), flags);
        if (engine != null && !HubConfig.ENGINES.contains(engine)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--engine: unknown engine '" + engine + "'; known: " + String.join(", ", HubConfig.ENGINES));
        }
        Path file = engine == null ? cfg.tokenFile() : cfg.engineTokenFile(engine);
        TokenFile tokens = new TokenFile(file);
        if (revoke) {
            boolean gone = tokens.revoke();
            spec.commandLine()
                    .getOut()
                    .println(gone ? "revoked " + engine + "'s credential (" + file + ")" : "no credential at " + file);
            return 0;
        }
        String token = rotate ? tokens.rotate() : tokens.loadOrCreate();
        spec.commandLine().getOut().println(token);
        return 0;
    }
}
