package dev.tandem.hub.cli;

import dev.tandem.core.config.ConfigException;
import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.HubFlags;
import dev.tandem.hub.logging.RotatedLogs;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tandem service}: runs the hub at login as a systemd user unit (Linux) or a launchd agent (macOS). Every
 * file lives in the user's home, so nothing needs root.
 */
@Command(
        name = "service",
        mixinStandardHelpOptions = true,
        description = "Run the hub at login: systemd user unit (Linux) or launchd agent (macOS).",
        subcommands = {
            ServiceCommand.Install.class,
            ServiceCommand.Uninstall.class,
            ServiceCommand.Status.class,
            ServiceCommand.Logs.class
        },
        footerHeading = "%nExamples:%n",
        footer = {"  tandem service install", "  tandem service logs -f"})
public final class ServiceCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where a unit goes and which init system reads it; shared by the subcommands. */
    static final class Target {
        @Option(
                names = "--config",
                paramLabel = "FILE",
                description = "Hub configuration (default: ~/.tandem/hub.toml).")
        Path config;

        @Option(
                names = "--platform",
                paramLabel = "linux|macos",
                description = "Init system to use (default: this machine's).")
        String platform;

        @Option(
                names = "--unit-dir",
                paramLabel = "DIR",
                description = "Folder of the unit (default: $XDG_CONFIG_HOME/systemd/user or ~/Library/LaunchAgents).")
        Path unitDir;

        HubConfig hub() {
            HubFlags flags = new HubFlags(null, null, null, null, null, null, null, null, null, null);
            return Environment.loader().load(Optional.ofNullable(config), flags);
        }

        boolean macos() {
            String p = platform != null ? platform : System.getProperty("os.name", "");
            String lower = p.toLowerCase(Locale.ROOT);
            if (platform != null && !lower.equals("linux") && !lower.equals("macos")) {
                throw new ConfigException("--platform " + platform + ": expected linux or macos");
            }
            return lower.startsWith("mac");
        }

        Path unitFile(HubConfig cfg) {
            if (macos()) {
                Path dir = unitDir != null ? unitDir : cfg.home().resolve("Library/LaunchAgents");
                return dir.resolve(ServiceUnits.LAUNCHD_LABEL + ".plist");
            }
            String xdg = System.getenv("XDG_CONFIG_HOME");
            Path config = xdg == null || xdg.isBlank() ? cfg.home().resolve(".config") : Path.of(xdg);
            Path dir = unitDir != null ? unitDir : config.resolve("systemd/user");
            return dir.resolve(ServiceUnits.SYSTEMD_NAME);
        }
    }

    /** {@code tandem service install}: writes the unit (only when it changed) and starts it. */
    @Command(
            name = "install",
            footerHeading = "%nExample:%n",
            footer = "  tandem service install --no-start",
            mixinStandardHelpOptions = true,
            description = "Write the unit (idempotent) and start the hub now and at every login.")
    static final class Install implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        Target target = new Target();

        @Option(
                names = "--launcher",
                paramLabel = "FILE",
                description = "The tandem launcher (default: this checkout's bin/tandem).")
        Path launcher;

        @Option(names = "--no-start", description = "Write the unit only; do not enable or start it.")
        boolean noStart;

        @Override
        public Integer call() throws IOException, InterruptedException {
            HubConfig cfg = target.hub();
            Path file = target.unitFile(cfg);
            Path exe = launcher != null ? launcher.toAbsolutePath() : defaultLauncher();
            Path config = cfg.file().toAbsolutePath();
            String text = target.macos()
                    ? ServiceUnits.launchd(exe, config, cfg.layout().dir().resolve("log"))
                    : ServiceUnits.systemd(exe, config);
            PrintWriter out = spec.commandLine().getOut();
            boolean same = Files.isRegularFile(file) && Files.readString(file).equals(text);
            if (same) {
                out.println("unchanged " + file);
            } else {
                write(file, text);
                out.println("wrote " + file);
            }
            if (!noStart) {
                List<List<String>> steps = target.macos()
                        ? List.of(List.of("launchctl", "load", "-w", file.toString()))
                        : List.of(
                                List.of("systemctl", "--user", "daemon-reload"),
                                List.of("systemctl", "--user", "enable", "--now", ServiceUnits.SYSTEMD_NAME));
                for (List<String> step : steps) {
                    Processes.run(step);
                }
                out.println("started " + (target.macos() ? ServiceUnits.LAUNCHD_LABEL : ServiceUnits.SYSTEMD_NAME));
            }
            out.flush();
            return 0;
        }

        private static Path defaultLauncher() {
            String repo = System.getProperty("tandem.repo");
            if (repo == null || repo.isBlank()) {
                throw new ConfigException(
                        "--launcher: not started through bin/tandem; pass --launcher PATH/bin/tandem");
            }
            return Path.of(repo, "bin", "tandem").toAbsolutePath();
        }

        private static void write(Path file, String text) throws IOException {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".tandem-unit-", ".tmp");
            try {
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** {@code tandem service uninstall}: stops the hub and removes the unit; nothing else of ~/.tandem. */
    @Command(
            name = "uninstall",
            footerHeading = "%nExample:%n",
            footer = "  tandem service uninstall",
            mixinStandardHelpOptions = true,
            description = "Stop the hub and remove the unit.")
    static final class Uninstall implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        Target target = new Target();

        @Option(names = "--no-stop", description = "Remove the unit file only; do not stop or disable it.")
        boolean noStop;

        @Override
        public Integer call() throws IOException, InterruptedException {
            HubConfig cfg = target.hub();
            Path file = target.unitFile(cfg);
            PrintWriter out = spec.commandLine().getOut();
            if (!Files.exists(file)) {
                out.println("not installed " + file);
                out.flush();
                return 0;
            }
            if (!noStop) {
                Processes.run(
                        target.macos()
                                ? List.of("launchctl", "unload", "-w", file.toString())
                                : List.of("systemctl", "--user", "disable", "--now", ServiceUnits.SYSTEMD_NAME));
            }
            Files.delete(file);
            if (!noStop && !target.macos()) {
                Processes.run(List.of("systemctl", "--user", "daemon-reload"));
            }
            out.println("removed " + file);
            out.flush();
            return 0;
        }
    }

    /** {@code tandem service status}: the unit file and what the init system says of it. */
    @Command(
            name = "status",
            footerHeading = "%nExample:%n",
            footer = "  tandem service status",
            mixinStandardHelpOptions = true,
            description = "Show whether the hub service is installed and the hub is up (its version, pid, uptime):"
                    + " exit 0 up, 1 not installed, 3 installed but the hub does not answer.")
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        Target target = new Target();

        @Override
        public Integer call() throws InterruptedException {
            HubConfig cfg = target.hub();
            Path file = target.unitFile(cfg);
            PrintWriter out = spec.commandLine().getOut();
            if (!Files.exists(file)) {
                out.println("not installed (" + file + " absent): tandem service install");
                out.flush();
                return 1;
            }
            out.println("installed " + file);
            RunningHub at = RunningHub.of(cfg, false);
            HubStatus hub = HubStatus.of(at.mcpUrl(cfg), at.runtime(), Instant.now());
            out.println(hub.line());
            List<String> show = target.macos()
                    ? List.of("launchctl", "list", ServiceUnits.LAUNCHD_LABEL)
                    : List.of(
                            "systemctl",
                            "--user",
                            "show",
                            ServiceUnits.SYSTEMD_NAME,
                            "-p",
                            "ActiveState,SubState,MainPID,ActiveEnterTimestamp");
            try {
                out.print(Processes.run(show));
            } catch (ConfigException e) {
                out.println("init system: " + e.getMessage());
            }
            out.flush();
            return hub.up() ? 0 : 3;
        }
    }

    /** {@code tandem service logs [-f]}: the hub's journal (Linux) or log file (macOS). */
    @Command(
            name = "logs",
            footerHeading = "%nExample:%n",
            footer = "  tandem service logs -f",
            mixinStandardHelpOptions = true,
            description = "Show the hub service's logs (-f follows).")
    static final class Logs implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        Target target = new Target();

        @Option(
                names = {"-f", "--follow"},
                description = "Keep printing new lines.")
        boolean follow;

        @Override
        public Integer call() throws IOException, InterruptedException {
            HubConfig cfg = target.hub();
            List<String> command = new ArrayList<>();
            if (target.macos()) {
                command.addAll(List.of("tail", "-n", "200"));
                if (follow) {
                    command.add("-F");
                }
                command.add(
                        RotatedLogs.current(cfg.layout().dir().resolve("log")).toString());
            } else {
                command.addAll(List.of("journalctl", "--user", "-u", ServiceUnits.SYSTEMD_NAME, "--no-pager"));
                if (follow) {
                    command.add("-f");
                }
            }
            return new ProcessBuilder(command).inheritIO().start().waitFor() == 0 ? 0 : 2;
        }
    }
}
