package dev.tandem.sync;

import dev.tandem.sync.runtime.FleetSource;
import dev.tandem.sync.runtime.FleetWiring;
import dev.tandem.sync.runtime.Settings;
import dev.tandem.sync.runtime.Sources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * {@code --from [URL]}, {@code --key-file}, {@code --ca-file}: take the canonical {@code clients/} content from a fleet
 * hub instead of this machine's source folder. Without a URL, {@code ~/.tandem/fleet/hub.url}; the key defaults to
 * {@code ~/.tandem/fleet/host.key} and the trust anchor to {@code ~/.tandem/fleet/ca.pem} when it exists (the files
 * {@code tandem fleet enroll} writes).
 */
final class FromOptions {
    @Option(
            names = "--from",
            arity = "0..1",
            fallbackValue = "",
            paramLabel = "URL",
            description = "Take clients/ from the fleet hub at URL (default: ~/.tandem/fleet/hub.url);"
                    + " https:// unless the hub is on this machine.")
    String from;

    @Option(
            names = "--key-file",
            paramLabel = "FILE",
            description = "The host key for --from (default: ~/.tandem/fleet/host.key).")
    Path keyFile;

    @Option(
            names = "--ca-file",
            paramLabel = "FILE",
            description =
                    "Trust only this PEM certificate for --from (default: ~/.tandem/fleet/ca.pem when it exists).")
    Path caFile;

    /** Returns whether {@code --from} was given. */
    boolean active() {
        return from != null;
    }

    /** The sources of one command, and the staging folder that holds a fleet's files until the command ends. */
    record Staged(Sources sources, Optional<Path> dir) implements AutoCloseable {
        @Override
        public void close() {
            dir.ifPresent(FromOptions::deleteTree);
        }
    }

    /**
     * Returns {@code settings} with the clients wired to the fleet hub ({@code --from}): its {@code /mcp}, the engines'
     * keys derived from the host key, its CA; the settings as they are without {@code --from}.
     */
    Settings wire(Settings settings) {
        if (from == null) {
            return settings;
        }
        Path fleet = settings.tandemDir().resolve("fleet");
        String url = from.isBlank() ? hubUrl(fleet.resolve("hub.url")) : from;
        String origin = FleetSource.origin(url).toString();
        Optional<Path> ca = Optional.ofNullable(caFile)
                .or(() -> Optional.of(fleet.resolve("ca.pem")).filter(Files::isRegularFile))
                .filter(c -> origin.startsWith("https:"));
        return settings.withFleet(FleetWiring.of(origin, keyFile(settings), ca));
    }

    private Path keyFile(Settings settings) {
        return Optional.ofNullable(keyFile)
                .orElse(settings.tandemDir().resolve("fleet").resolve("host.key"));
    }

    /**
     * Returns the sources: the fleet hub's, downloaded and verified, with {@code --from} (settings made by {@link
     * #wire}); else the local ones.
     */
    Staged sources(Settings settings) {
        Optional<FleetWiring> wiring = settings.fleet();
        if (from == null || wiring.isEmpty()) {
            return new Staged(CommonOptions.sources(settings), Optional.empty());
        }
        String mcp = wiring.get().mcpUrl();
        FleetSource source = FleetSource.connect(
                mcp.substring(0, mcp.length() - "/mcp".length()),
                keyFile(settings),
                wiring.get().caFile());
        FleetSource.Content content = source.fetch();
        Path dir;
        try {
            dir = Files.createTempDirectory("tandem-fleet-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a staging folder for the fleet's content", e);
        }
        try {
            return new Staged(content.materialize(dir), Optional.of(dir));
        } catch (RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    private static String hubUrl(Path file) {
        return FleetSource.enrolledUrl(
                file,
                "no fleet hub to take clients/ from; pass --from URL or enrol this machine with 'tandem fleet enroll'");
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot remove the staging folder", e);
        }
    }
}
