package dev.tandem.hub.cli;

import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.HubFlags;
import dev.tandem.hub.auth.TokenFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tandem dashboard}: makes sure the program on the hub's port is the hub holding our token, asks it for a
 * one-time login code ({@link HubLogin}; the token never leaves this process) and prints the login URL (valid
 * once, for a minute, for that address); {@code --open} also hands it to {@code xdg-open}.
 */
@Command(
        name = "dashboard",
        mixinStandardHelpOptions = true,
        description = "Print a one-time login URL for the running hub's dashboard (valid once, for a minute).",
        footerHeading = "%nExample:%n",
        footer = "  tandem dashboard --open")
public final class DashboardCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Hub configuration (default: ~/.tandem/hub.toml).")
    Path config;

    @Option(names = "--host", description = "The hub's address (default: as the hub's configuration says).")
    String host;

    @Option(names = "--port", description = "The hub's port (default: as the hub's configuration says, 8765).")
    Integer port;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Token file (default: ~/.tandem/token).")
    Path tokenFile;

    @Option(names = "--open", description = "Also open the URL in a browser (xdg-open).")
    boolean open;

    @Override
    public Integer call() throws InterruptedException {
        HubFlags flags = new HubFlags(host, port, null, tokenFile, null, null, null, null, null, null);
        HubConfig cfg = Environment.loader().load(Optional.ofNullable(config), flags);
        String token = new TokenFile(cfg.tokenFile()).read();
        RunningHub at = RunningHub.of(cfg, host != null || port != null);
        HubLogin login =
                new HubLogin(at.host(), at.port(), token, cfg.tokenFile().toString(), at.source(cfg, describe(cfg)));
        String url = login.base() + login.loginPath();
        PrintWriter out = spec.commandLine().getOut();
        out.println(url);
        out.flush();
        if (open) {
            openInBrowser(url);
        }
        return 0;
    }

    private static String describe(HubConfig cfg) {
        return cfg.file().toFile().isFile() ? cfg.file().toString() : "the default (no " + cfg.file() + ")";
    }

    private void openInBrowser(String url) {
        try {
            new ProcessBuilder("xdg-open", url)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            spec.commandLine()
                    .getErr()
                    .println("tandem: cannot run xdg-open: " + e.getMessage() + "; open the URL above yourself");
        }
    }
}
