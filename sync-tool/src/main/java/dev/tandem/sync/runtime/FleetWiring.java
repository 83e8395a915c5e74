package dev.tandem.sync.runtime;

import dev.tandem.core.config.OwnerOnly;
import dev.tandem.core.fleet.HostKey;
import dev.tandem.sync.engine.Contents;
import dev.tandem.sync.engine.Drift;
import dev.tandem.sync.engine.Failures;
import dev.tandem.sync.engine.InputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How an enrolled machine's Codex and Claude Code reach the fleet hub after {@code push-runtime --from}: the hub's
 * {@code /mcp}, each engine with its own key derived from the host key ({@link HostKey#engineKey}) and kept in
 * {@code ~/.tandem/fleet/keys/ENGINE} (0600, in a 0700 folder) where the auth helper or the shell reads it, and the
 * fleet's CA for a hub whose certificate no public CA signed. The keys never go into a client's own files, an
 * argument, a message or the push's plan (so neither the dry run's diff nor a backup ever holds one).
 */
public final class FleetWiring {
    private final String mcpUrl;
    private final Optional<String> hostKey;
    private final Optional<Path> caFile;

    private FleetWiring(String mcpUrl, Optional<String> hostKey, Optional<Path> caFile) {
        this.mcpUrl = mcpUrl;
        this.hostKey = hostKey;
        this.caFile = caFile;
    }

    /**
     * Returns the wiring to the hub at {@code origin} with the key in {@code keyFile}. A fleet host key gives each
     * engine its derived key; any other credential (the person's token of a hub on this machine) leaves the
     * engines on this machine's own credentials ({@code tokens/ENGINE}).
     */
    public static FleetWiring of(String origin, Path keyFile, Optional<Path> caFile) {
        String key = FleetSource.readKey(keyFile);
        Optional<String> host =
                HostKey.parse(key).filter(k -> k.engine().isEmpty()).map(k -> key);
        return new FleetWiring(
                origin + "/mcp", host, caFile.map(p -> p.toAbsolutePath().normalize()));
    }

    /** Returns the fleet hub's MCP endpoint, {@code https://HOST:PORT/mcp}. */
    public String mcpUrl() {
        return mcpUrl;
    }

    /** Returns whether the engines use keys derived from a host key (else this machine's own credentials). */
    public boolean engineKeys() {
        return hostKey.isPresent();
    }

    /** Returns the CA certificate (PEM) the clients must trust for the hub, when it is not a public one. */
    public Optional<Path> caFile() {
        return caFile;
    }

    /** Returns where {@code engine}'s derived key lives under {@code tandemDir}. */
    public static Path keyFile(Path tandemDir, String engine) {
        return tandemDir.resolve("fleet").resolve("keys").resolve(engine);
    }

    /**
     * Writes each engine's derived key (0600, atomically) where {@link #keyFile} says, replacing one that differs
     * (the host key was rotated), cannot be read, or is a link, and taking others' bits from one in place (as {@link
     * #keyDrift} reports them). Nothing is written without a host key.
     */
    public void writeKeys(Path tandemDir, List<String> engines) {
        if (hostKey.isEmpty()) {
            return;
        }
        for (String engine : engines) {
            Path file = keyFile(tandemDir, engine);
            String want = HostKey.engineKey(hostKey.get(), engine) + "\n";
            // in place: made owner-only here, where it is written; a link (whose target's mode Tandem never
            // changes) is replaced by a file of its own
            if (holds(file, want) && !Files.isSymbolicLink(file)) {
                OwnerOnly.file(file);
                continue;
            }
            try {
                OwnerOnly.dir(file.getParent());
            } catch (UncheckedIOException e) {
                throw new UncheckedIOException(
                        file + ": cannot write the engine's key (" + e.getMessage() + ")", e.getCause());
            }
            write(file, want);
        }
    }

    /**
     * Writes the derived key whose file is {@code file} (one {@link #keyFiles} names), as {@link #writeKeys} does.
     *
     * @throws IllegalArgumentException when {@code file} is no engine's key file under {@code tandemDir}
     */
    public void writeKey(Path tandemDir, Path file) {
        String engine = String.valueOf(file.getFileName());
        if (hostKey.isEmpty() || !file.equals(keyFile(tandemDir, engine))) {
            throw new IllegalArgumentException(file + ": not an engine key file under " + tandemDir);
        }
        writeKeys(tandemDir, List.of(engine));
    }

    /**
     * Deletes the engines' derived keys under {@code tandemDir} (clean-runtime: nothing points at them any more;
     * the next {@code push-runtime --from} derives them again from the host key). Returns the files deleted.
     */
    public static List<Path> removeKeys(Path tandemDir, List<String> engines) {
        List<Path> out = new ArrayList<>();
        for (String engine : engines) {
            Path file = keyFile(tandemDir, engine);
            try {
                if (Files.deleteIfExists(file)) {
                    out.add(file);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(
                        file + ": cannot delete the engine's key: "
                                + e.getClass().getSimpleName(),
                        e);
            }
        }
        return out;
    }

    /** Returns the derived key files of {@code engines} that push writes and check-sync checks: none without a host key. */
    public List<Path> keyFiles(Path tandemDir, List<String> engines) {
        return hostKey.isEmpty()
                ? List.of()
                : engines.stream().map(e -> keyFile(tandemDir, e)).toList();
    }

    /**
     * Returns the findings on the derived keys: missing, unreadable, not the ones the host key gives, a link, or
     * readable by others.
     *
     * @throws InputException naming the path and what it is when a key path is, or links to, no regular file (a
     *     folder, a FIFO, a dangling link): a push would otherwise rename a file over it
     */
    public List<Drift> keyDrift(Path tandemDir, List<String> engines) {
        List<Drift> out = new ArrayList<>();
        if (hostKey.isEmpty()) {
            return out;
        }
        for (String engine : engines) {
            Path file = keyFile(tandemDir, engine);
            String expected = "the " + engine + " key derived from the host key";
            Optional<String> actual;
            try {
                actual = Contents.text(Contents.read(file)).map(String::strip);
            } catch (UncheckedIOException e) {
                // stale, not fatal: push replaces the file (a key file left behind by another user, say)
                out.add(new Drift(file, "key", expected, "unreadable (" + e.getMessage() + ")"));
                continue;
            } catch (InputException e) {
                // a folder, a FIFO (never opened: its type is read first), a dangling link: not Tandem's to replace
                throw new InputException(
                        e.getMessage() + "; move it away and push-runtime --from writes the engine's key there", e);
            }
            if (actual.isEmpty()) {
                out.add(new Drift(file, "key", expected, "no file"));
            } else if (!actual.get().equals(HostKey.engineKey(hostKey.get(), engine))) {
                out.add(new Drift(file, "key", expected, "another key (was the host key rotated?)"));
            } else if (Files.isSymbolicLink(file)) {
                // the right key, reached through a link: push writes a file of its own (the target's mode and
                // content are not Tandem's to change)
                out.add(new Drift(file, "key", expected + ", in a file of its own", "a symbolic link"));
            } else {
                looseMode(file)
                        .ifPresent(mode -> out.add(new Drift(
                                file,
                                "key",
                                expected + ", owner-only (rw-------)",
                                "readable by others (" + mode + ")")));
            }
        }
        return out;
    }

    /**
     * Returns the mode of key file {@code file} (the file a link names) when others than its owner may use it; empty
     * when it is owner-only or the file system keeps no POSIX modes.
     */
    private static Optional<String> looseMode(Path file) {
        try {
            var mode = Files.getPosixFilePermissions(file);
            return mode.stream().anyMatch(p -> !p.name().startsWith("OWNER_"))
                    ? Optional.of(PosixFilePermissions.toString(mode))
                    : Optional.empty();
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /** Returns whether {@code file} holds {@code text}: not when it is missing or cannot be read (then it is replaced). */
    private static boolean holds(Path file, String text) {
        try {
            return Contents.text(Contents.read(file)).filter(text::equals).isPresent();
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    private static void write(Path file, String text) {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OwnerOnly.FILE));
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write the engine's key (" + Failures.describe(e) + ")", e);
        }
    }

    @Override
    public String toString() {
        return "FleetWiring[" + mcpUrl + ", engineKeys=" + engineKeys() + ", ca=" + caFile.orElse(null) + "]";
    }
}
