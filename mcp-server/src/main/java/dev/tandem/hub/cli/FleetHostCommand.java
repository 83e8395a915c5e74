package dev.tandem.hub.cli;

import dev.tandem.core.cli.TerminalText;
import dev.tandem.core.fleet.FleetHost;
import dev.tandem.core.fleet.HostKey;
import dev.tandem.core.store.StoreSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tandem fleet host add|list|revoke|rotate}. */
@Command(
        name = "host",
        mixinStandardHelpOptions = true,
        description = "Enrolled machines and their keys.",
        footerHeading = "%nExample:%n",
        footer = "  tandem fleet host list",
        subcommands = {
            FleetHostCommand.Add.class,
            FleetHostCommand.ListHosts.class,
            FleetHostCommand.Revoke.class,
            FleetHostCommand.Rotate.class
        })
public final class FleetHostCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Prints the one-time enrolment instructions for {@code key}: the command carries no key, stdin does. */
    static void enrolment(PrintWriter out, String name, HostKey.Issued key, String hubUrl) {
        out.println("tandem: on " + name + ", run this and paste the key below when it asks (the key is shown once,"
                + " only its salted hash is stored):");
        out.println();
        out.println("  tandem fleet enroll " + hubUrl + " --key-file -");
        out.println();
        out.println("key: " + key.key());
        out.println();
        out.println("tandem: add --ca hub.pem to the command when the hub's certificate is self-signed"
                + " (copy the hub's [tls] cert to " + name + " first)");
    }

    /** Returns the URL to print: {@code --hub-url}, else {@code https://THIS-HOST:PORT}. */
    static String hubUrl(Optional<String> given, Path config) {
        if (given.isPresent()) {
            return given.get();
        }
        var cfg = Environment.loader()
                .load(
                        Optional.ofNullable(config),
                        new dev.tandem.core.config.HubFlags(
                                null, null, null, null, null, null, List.of(), null, null, null));
        return "https://" + StoreSettings.from(cfg).host() + ":" + cfg.port();
    }

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = "Add a host; prints its key once.",
            footerHeading = "%nExample:%n",
            footer = "  tandem fleet host add laptop --roaming --hub-url https://desktop.lan:8765")
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "The host's name (its rows are recorded under it).")
        String name;

        @Option(names = "--roaming", description = "The key works from any address (a laptop that moves).")
        boolean roaming;

        @Option(
                names = "--hub-url",
                paramLabel = "URL",
                description = "The URL the host reaches this hub at (default: https://THIS-HOST:PORT).")
        String hubUrl;

        @Option(names = "--config", paramLabel = "FILE", description = "Hub configuration.")
        Path config;

        @Override
        public Integer call() {
            try (FleetStore store = FleetStore.open(config)) {
                HostKey.Issued key = store.fleet().add(name, roaming, store.actor());
                enrolment(spec.commandLine().getOut(), name, key, hubUrl(Optional.ofNullable(hubUrl), config));
            }
            return 0;
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List the hosts (never their keys).",
            footerHeading = "%nExample:%n",
            footer = "  tandem fleet host list")
    static final class ListHosts implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--config", paramLabel = "FILE", description = "Hub configuration.")
        Path config;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (FleetStore store = FleetStore.open(config)) {
                List<FleetHost> hosts = store.fleet().hosts();
                out.printf(
                        "%-20s %-20s %-20s %-16s %-8s %s%n",
                        "NAME", "CREATED", "LAST SEEN", "BOUND IP", "ROAMING", "REVOKED");
                for (FleetHost h : hosts) {
                    out.printf(
                            "%-20s %-20s %-20s %-16s %-8s %s%n",
                            TerminalText.safe(h.name()),
                            time(h.created()),
                            h.lastSeen().map(FleetHostCommand::time).orElse("never"),
                            TerminalText.safe(h.boundIp().orElse(h.roaming() ? "-" : "(first use)")),
                            h.roaming() ? "yes" : "no",
                            h.revoked().map(FleetHostCommand::time).orElse("no"));
                }
            }
            return 0;
        }
    }

    @Command(
            name = "revoke",
            mixinStandardHelpOptions = true,
            description = "Revoke a host's key: refused from the next request on, on every hub.",
            footerHeading = "%nExample:%n",
            footer = "  tandem fleet host revoke laptop")
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--config", paramLabel = "FILE", description = "Hub configuration.")
        Path config;

        @Override
        public Integer call() {
            try (FleetStore store = FleetStore.open(config)) {
                store.fleet().revoke(name, store.actor());
            }
            spec.commandLine()
                    .getOut()
                    .println("tandem: revoked " + name + "; its keys are refused on every hub from now on"
                            + " ('tandem fleet host rotate " + name + "' gives it a new one)");
            return 0;
        }
    }

    @Command(
            name = "rotate",
            mixinStandardHelpOptions = true,
            description = "Give a host a new key (the old one is refused from now on); prints it once.",
            footerHeading = "%nExample:%n",
            footer = "  tandem fleet host rotate laptop")
    static final class Rotate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--hub-url", paramLabel = "URL", description = "The URL the host reaches this hub at.")
        String hubUrl;

        @Option(names = "--config", paramLabel = "FILE", description = "Hub configuration.")
        Path config;

        @Override
        public Integer call() {
            try (FleetStore store = FleetStore.open(config)) {
                HostKey.Issued key = store.fleet().rotate(name, store.actor());
                enrolment(spec.commandLine().getOut(), name, key, hubUrl(Optional.ofNullable(hubUrl), config));
            }
            return 0;
        }
    }

    static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
