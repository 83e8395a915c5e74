package dev.tandem.hub.cli;

import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.HubFlags;
import dev.tandem.core.config.HubRuntime;
import dev.tandem.core.config.TokenFile;
import dev.tandem.hub.Hub;
import dev.tandem.hub.HubVersion;
import dev.tandem.hub.fleet.FleetMode;
import dev.tandem.hub.logging.OneLineFormatter;
import dev.tandem.hub.logging.RotatedLogs;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tandem serve}: runs the hub until SIGTERM or SIGINT. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Run the Tandem hub (MCP over Streamable HTTP on 127.0.0.1, behind a bearer token).",
        footerHeading = "%nExample:%n",
        footer = "  tandem serve --port 0 --root ~/code")
public final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = Logger.getLogger(ServeCommand.class.getName());

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Hub configuration (default: ~/.tandem/hub.toml).")
    Path config;

    @Option(names = "--host", description = "Address to bind (default: 127.0.0.1).")
    String host;

    @Option(names = "--port", description = "Port (default: 8765; 0 picks a free one).")
    Integer port;

    @Option(
            names = "--allow-remote",
            description = "Allow binding a non-loopback address (the hub is then reachable from the network).")
    Boolean allowRemote;

    @Option(
            names = "--fleet",
            description = "Serve as the fleet hub: accept enrolled hosts' keys and obey the freeze switch"
                    + " (needs a PostgreSQL store; docs/fleet.md).")
    boolean fleet;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Token file (default: ~/.tandem/token).")
    Path tokenFile;

    @Option(names = "--portfolio", paramLabel = "DIR", description = "Context portfolio folder.")
    Path portfolio;

    @Option(names = "--root", paramLabel = "DIR", description = "A folder the fs and git tools may use (repeatable).")
    List<Path> roots;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data folder (default: ~/.tandem/data).")
    Path dataDir;

    @Option(names = "--max-body-bytes", paramLabel = "N", description = "Largest request body (default: 4 MiB).")
    Long maxBodyBytes;

    @Option(
            names = "--session-idle-seconds",
            paramLabel = "N",
            description = "Close MCP sessions idle this long (default: 1800).")
    Integer sessionIdleSeconds;

    @Option(
            names = "--log-dir",
            paramLabel = "DIR",
            description = "Write the log to DIR/hub.0.log, rotated at 10 MiB, 5 files kept (default: standard error).")
    Path logDir;

    @Override
    public Integer call() throws InterruptedException {
        HubFlags flags = new HubFlags(
                host, port, allowRemote, tokenFile, dataDir, portfolio, roots, maxBodyBytes, sessionIdleSeconds, null);
        HubConfig cfg = Environment.loader().load(Optional.ofNullable(config), flags);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        cfg.warnings().forEach(w -> err.println("tandem: warning: " + w));
        // refuses a fleet without PostgreSQL and a non-loopback address without TLS, before anything is bound
        FleetMode mode = FleetMode.from(cfg, fleet);
        if (!FleetMode.isLoopback(cfg.host())) {
            err.println("tandem: WARNING: binding " + cfg.host()
                    + ", which is not loopback: anyone who can reach it and holds the token or a host key can use"
                    + " the hub (over TLS)");
        }
        if (logDir != null) {
            RotatedLogs.into(logDir.toAbsolutePath());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Hub hub = Hub.start(cfg, mode);
        OneLineFormatter.redact(new TokenFile(cfg.tokenFile()).read());
        Thread hook = new Thread(
                () -> {
                    HubRuntime.remove(cfg.layout());
                    hub.close();
                    stopped.countDown();
                },
                "tandem-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (cfg.roots().isEmpty()) {
            err.println(
                    "tandem: no roots: the fs and git tools serve no files and jobs cannot start (add --root DIR, [fs] roots, or run"
                            + " 'tandem init --root DIR')");
        }
        for (Path root : cfg.roots()) {
            err.println("tandem: root " + root);
            homeWarning(root, cfg.home()).ifPresent(err::println);
        }
        err.println("tandem: token file " + cfg.tokenFile());
        // with TLS, this machine's clients, doctor, dashboard and usage take the plain loopback listener beside it
        String local = hub.server().localPort().isPresent()
                ? hub.localUrl()
                : clientUrl(cfg, hub.port(), mode.tls().isPresent());
        if (hub.server().localPort().isPresent()) {
            err.println("tandem: for this machine's own clients: " + local + " (plain HTTP, 127.0.0.1 only)");
            err.flush();
        }
        HubRuntime.write(cfg.layout(), local, HubVersion.get(), hub.usageKeys());
        LOG.info("hub started: url=" + hub.url() + " pid="
                + ProcessHandle.current().pid() + " version=" + HubVersion.get());
        out.println("tandem hub listening on " + hub.url());
        out.flush();
        stopped.await();
        return 0;
    }

    /** Returns the URL clients on this machine use: a wildcard bind is reached on loopback. */
    private static String clientUrl(HubConfig cfg, int port, boolean tls) {
        String url = cfg.clientUrl();
        url = url.substring(0, url.lastIndexOf(':') + 1) + port + "/mcp";
        return tls ? "https" + url.substring("http".length()) : url;
    }

    /**
     * Returns the warning for a root that is the home folder or holds it (the default root is the folder the hub
     * starts in, often the home folder): agents then see every file there but the deny list.
     */
    static Optional<String> homeWarning(Path root, Path home) {
        Path r = real(root);
        Path h = real(home);
        String advice = ": the fs tools reach every file in it except the deny list ([fs] deny, docs/fs.md);"
                + " prefer --root with your project folders";
        if (r.equals(h)) {
            return Optional.of("tandem: WARNING: root " + r + " is your home folder" + advice);
        }
        if (h.startsWith(r)) {
            return Optional.of("tandem: WARNING: root " + r + " holds your home folder " + h + advice);
        }
        return Optional.empty();
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (java.io.IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }
}
