package dev.tandem.hub.cli;

import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.HubFlags;
import dev.tandem.core.config.TokenFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tandem dashboard}: makes sure the program on the hub's port is the hub holding our token, asks it for a
 * one-time login code ({@link HubLogin}; the token never leaves this process) and prints the login URL (valid
 * once, for a minute, for that address); {@code --open} also hands it to {@code xdg-open} (or {@code --browser}) and
 * says so when that fails: the command is missing, or exits non-zero within {@link #OPEN_WAIT} (no browser, no
 * display); exit 1 then, the URL still printed.
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

    @Option(names = "--open", description = "Also open the URL in a browser (xdg-open); exit 1 if that fails.")
    boolean open;

    @Option(
            names = "--browser",
            paramLabel = "COMMAND",
            description = "The program --open runs with the URL (default: xdg-open).")
    String browser = "xdg-open";

    /** How long --open waits for the opener to fail before taking it as launched. */
    static final Duration OPEN_WAIT = Duration.ofSeconds(10);

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
        return open ? openInBrowser(url) : 0;
    }

    private static String describe(HubConfig cfg) {
        return cfg.file().toFile().isFile() ? cfg.file().toString() : "the default (no " + cfg.file() + ")";
    }

    private int openInBrowser(String url) throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        Path log = null;
        try {
            log = Files.createTempFile("tandem-open-", ".log");
            Process p = new ProcessBuilder(browser, url)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!p.waitFor(OPEN_WAIT.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() == 0) {
                return 0; // launched (a browser that stays in the foreground is launched too)
            }
            String said = firstLine(Files.readString(log, StandardCharsets.UTF_8));
            err.println("tandem: could not open a browser: '" + browser + "' exited " + p.exitValue()
                    + (said.isEmpty() ? "" : " (" + said + ")") + "; open the URL above yourself");
            return 1;
        } catch (IOException e) {
            err.println("tandem: could not open a browser: cannot run '" + browser + "' ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + "); open the URL above yourself");
            return 1;
        } finally {
            if (log != null) {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException e) {
                    // a temporary file; nothing to report
                }
            }
        }
    }

    private static String firstLine(String text) {
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
