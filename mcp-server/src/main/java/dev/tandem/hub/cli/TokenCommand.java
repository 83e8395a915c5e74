package dev.tandem.hub.cli;

import dev.tandem.core.config.HubFlags;
import dev.tandem.hub.auth.TokenFile;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tandem token}: prints the bearer token, creating it (mode 0600) on first use. */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = "Print the hub's bearer token (created on first use, mode 0600).",
        footerHeading = "%nExample:%n",
        footer = "  export TANDEM_TOKEN=\"$(tandem token)\"")
public final class TokenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Token file (default: ~/.tandem/token).")
    Path tokenFile;

    @Option(names = "--config", paramLabel = "FILE", description = "Hub configuration (default: ~/.tandem/hub.toml).")
    Path config;

    @Option(names = "--rotate", description = "Replace the token with a new one; clients pick it up on reconnect.")
    boolean rotate;

    @Override
    public Integer call() {
        HubFlags flags = new HubFlags(null, null, null, tokenFile, null, null, null, null, null, null);
        Path file =
                Environment.loader().load(Optional.ofNullable(config), flags).tokenFile();
        TokenFile tokens = new TokenFile(file);
        String token = rotate ? tokens.rotate() : tokens.loadOrCreate();
        spec.commandLine().getOut().println(token);
        return 0;
    }
}
