package dev.tandem.hub.cli;

import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.HubFlags;
import dev.tandem.core.config.OwnerOnly;
import dev.tandem.core.fleet.HostKey;
import dev.tandem.hub.fleet.FleetMode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tandem fleet enroll https://HUB --key-file -}: run on the machine being enrolled; writes
 * {@code ~/.tandem/fleet/hub.url}, {@code host.key} (0600) and, with {@code --ca}, {@code ca.pem}. The key is read
 * from a file or standard input, never from the command line (where other users and the shell's history see it).
 */
@Command(
        name = "enroll",
        mixinStandardHelpOptions = true,
        description = "Enrol this machine in a fleet (run the command 'tandem fleet host add' printed).",
        footerHeading = "%nExample:%n",
        footer = "  tandem fleet enroll https://desktop.lan:8765 --key-file -   (then paste the key)")
public final class FleetEnrollCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "URL", description = "The fleet hub, https://HOST:PORT.")
    String url;

    @Option(
            names = "--key-file",
            required = true,
            paramLabel = "FILE",
            description = "Where the host key is: a file, or - for standard input.")
    String keyFile;

    @Option(
            names = "--ca",
            paramLabel = "FILE",
            description = "The hub's certificate (PEM) when it is self-signed: copied to ~/.tandem/fleet/ca.pem.")
    Path ca;

    @Option(names = "--config", paramLabel = "FILE", description = "Hub configuration.")
    Path config;

    InputStream in = System.in;

    @Override
    public Integer call() throws IOException {
        String hub = hubUrl();
        String key = readKey();
        if (HostKey.parse(key).filter(k -> k.engine().isEmpty()).isEmpty()) {
            // never echo what was given: it may be a secret of another kind
            throw new ParameterException(
                    spec.commandLine(),
                    "--key-file " + keyFile + ": does not hold a fleet host key (thk1.…) as 'tandem fleet host add'"
                            + " printed it");
        }
        String caText = null;
        if (ca != null) {
            caText = Files.readString(ca, StandardCharsets.US_ASCII);
            if (!caText.contains("-----BEGIN CERTIFICATE-----")) {
                throw new ParameterException(spec.commandLine(), "--ca " + ca + ": not a PEM certificate");
            }
        }
        HubConfig cfg = Environment.loader()
                .load(
                        Optional.ofNullable(config),
                        new HubFlags(null, null, null, null, null, null, List.of(), null, null, null));
        Path dir = OwnerOnly.dir(cfg.layout().dir().resolve("fleet"));
        write(dir.resolve("host.key"), key + "\n");
        if (caText != null) {
            write(dir.resolve("ca.pem"), caText);
        }
        write(dir.resolve("hub.url"), hub + "\n");
        spec.commandLine()
                .getOut()
                .println("tandem: enrolled in the fleet at " + hub + " (" + dir
                        + "); the key binds to this machine's address at its first use");
        return 0;
    }

    /** Returns the hub's base URL, {@code https://HOST:PORT}; plain http only for a loopback hub. */
    private String hubUrl() {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new ParameterException(spec.commandLine(), "URL " + url + ": not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme();
        if (uri.getHost() == null || scheme == null) {
            throw new ParameterException(spec.commandLine(), "URL " + url + ": give https://HOST:PORT");
        }
        boolean loopback = FleetMode.isLoopbackLiteral(uri.getHost());
        if (!scheme.equals("https") && !(scheme.equals("http") && loopback)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "URL " + url + ": a fleet hub off this machine is reached over https:// only (the key would"
                            + " cross the network in clear text)");
        }
        return scheme + "://" + uri.getRawAuthority();
    }

    private String readKey() throws IOException {
        if (keyFile.equals("-")) {
            // the first non-blank line: the person pastes the key and presses Enter, or pipes it in
            java.io.BufferedReader reader =
                    new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    return line.strip();
                }
            }
            return "";
        }
        return Files.readString(Path.of(keyFile), StandardCharsets.US_ASCII).strip();
    }

    /** Writes {@code text} to {@code file} with mode 0600, whole or not at all. */
    private static void write(Path file, String text) throws IOException {
        Path tmp = Files.createTempFile(
                file.getParent(),
                "." + file.getFileName(),
                ".tmp",
                PosixFilePermissions.asFileAttribute(OwnerOnly.FILE));
        try {
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
