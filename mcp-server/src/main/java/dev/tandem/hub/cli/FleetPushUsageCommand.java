package dev.tandem.hub.cli;

import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.HubFlags;
import dev.tandem.core.config.OwnerOnly;
import dev.tandem.hub.usage.FleetUsageRepository;
import dev.tandem.hub.usage.UsageScanner;
import dev.tandem.hub.usage.UsageSettings;
import dev.tandem.sync.runtime.FleetSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tandem fleet push-usage}: on an enrolled machine that runs no hub of its own, reads what is new in this
 * machine's Codex and Claude Code logs and sends it to the fleet hub with the host key, where it is recorded under
 * this host (docs/fleet.md, "Usage of every machine"). Only new bytes are read: the hub keeps this host's cursors.
 */
@Command(
        name = "push-usage",
        mixinStandardHelpOptions = true,
        description = "Send this machine's Codex and Claude Code usage to the fleet hub it is enrolled in.",
        footerHeading = "%nExample:%n",
        footer = "  tandem fleet push-usage          # e.g. hourly from cron or a systemd timer")
public final class FleetPushUsageCommand implements Callable<Integer> {
    /** How long to wait for another push (or reader) of this machine's logs to finish. */
    private static final Duration WAIT = Duration.ofMinutes(2);

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Hub configuration.")
    Path config;

    @Override
    public Integer call() throws IOException {
        HubConfig cfg = Environment.loader()
                .load(
                        Optional.ofNullable(config),
                        new HubFlags(null, null, null, null, null, null, List.of(), null, null, null));
        Path fleet = cfg.layout().dir().resolve("fleet");
        String url = FleetSource.enrolledUrl(
                fleet.resolve("hub.url"),
                "this machine is not enrolled in a fleet: run 'tandem fleet enroll https://HUB --key-file -' first"
                        + " (docs/fleet.md)");
        Optional<Path> ca = Optional.of(fleet.resolve("ca.pem")).filter(Files::isRegularFile);
        FleetSource hub = FleetSource.connect(url, fleet.resolve("host.key"), ca);
        FleetUsageRepository remote = new FleetUsageRepository(hub);
        UsageScanner scanner = new UsageScanner(
                remote, UsageSettings.from(cfg), OwnerOnly.dir(fleet).resolve("push-usage.lock"), Clock.systemUTC());
        UsageScanner.Result r = scanner.scan(WAIT);
        if (!r.ran()) {
            spec.commandLine()
                    .getErr()
                    .println("tandem: another push of this machine's usage is still running; nothing sent");
            return 1;
        }
        spec.commandLine()
                .getOut()
                .printf(
                        "tandem: read %d of %d logs (%d bytes); sent %d %s%s to the fleet at %s%s%n",
                        r.read(),
                        r.files(),
                        r.bytes(),
                        remote.sentEvents(),
                        remote.sentEvents() == 1 ? "response" : "responses",
                        damaged(remote.sentDamaged()),
                        hub.where(),
                        remote.host().isEmpty() ? "" : " as " + remote.host());
        return 0;
    }

    /** Returns what the output says of the damaged responses sent, which the fleet reports but does not count. */
    private static String damaged(long n) {
        return n == 0 ? "" : " and " + n + " damaged " + (n == 1 ? "response" : "responses") + " (not counted)";
    }
}
