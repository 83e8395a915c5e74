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
     * Writes each engine's derived key (0600, atomically) where {@link #keyFile} says, replacing one that {@link
     * #keyDrift} finds missing, unreadable, another key or a link, and taking others' bits from one that holds the
     * right key in a file of its own (the one finding mended in place). Nothing is written without a host key.
     */
    public void writeKeys(Path tandemDir, List<String> engines) {
        if (hostKey.isEmpty()) {
            return;
        }
        for (String engine : engines) {
            Path file = keyFile(tandemDir, engine);
            Finding found = examine(file, engine);
            // in place: made owner-only here, where it is written; a link (whose target's mode Tandem never
            // changes) is replaced by a file of its own
            if (found.rightKeyOfItsOwn()) {
                OwnerOnly.file(file);
                continue;
            }
            try {
                OwnerOnly.dir(file.getParent());
            } catch (UncheckedIOException e) {
                throw new UncheckedIOException(
                        file + ": cannot write the engine's key (" + e.getMessage() + ")", e.getCause());
            }
            write(file, text(engine));
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
            Finding found;
            try {
                found = examine(file, engine);
            } catch (InputException e) {
                // a folder, a FIFO (never opened: its type is read first), a dangling link: not Tandem's to replace
                throw new InputException(
                        e.getMessage() + "; move it away and push-runtime --from writes the engine's key there", e);
            }
            String expected = "the " + engine + " key derived from the host key";
            switch (found.fault()) {
                case NONE -> {}
                // stale, not fatal: push replaces the file (a key file left behind by another user, say)
                case UNREADABLE -> out.add(new Drift(file, "key", expected, "unreadable (" + found.detail() + ")"));
                case MISSING -> out.add(new Drift(file, "key", expected, "no file"));
                case OTHER_TEXT -> out.add(new Drift(file, "key", expected, found.detail()));
                // the right key, reached through a link: push writes a file of its own (the target's mode and
                // content are not Tandem's to change)
                case LINK -> out.add(new Drift(file, "key", expected + ", in a file of its own", "a symbolic link"));
                case LOOSE ->
                    out.add(new Drift(
                            file,
                            "key",
                            expected + ", owner-only (rw-------)",
                            "readable by others (" + found.detail() + ")"));
            }
        }
        return out;
    }

    /** What is wrong with an engine's key file, if anything: the one decision check-sync reports and push mends. */
    private enum Fault {
        NONE,
        MISSING,
        UNREADABLE,
        /** Not exactly the key on one line, as {@link #write} writes it. */
        OTHER_TEXT,
        /** The key, through a symbolic link. */
        LINK,
        /** The key, in a file others may use. */
        LOOSE
    }

    /** A fault and what to say of it (never the file's content). */
    private record Finding(Fault fault, String detail) {
        /** Returns whether the file holds the right key and is no link: push mends its mode in place, if need be. */
        boolean rightKeyOfItsOwn() {
            return fault == Fault.NONE || fault == Fault.LOOSE;
        }
    }

    /**
     * Returns what is wrong with {@code engine}'s key file {@code file}: the right key holds exactly the text {@link
     * #writeKeys} writes, in a file of its own that only its owner may use.
     *
     * @throws InputException when {@code file} is, or links to, no regular file
     */
    private Finding examine(Path file, String engine) {
        Optional<String> actual;
        try {
            actual = Contents.text(Contents.read(file));
        } catch (UncheckedIOException e) {
            return new Finding(Fault.UNREADABLE, e.getMessage());
        }
        if (actual.isEmpty()) {
            return new Finding(Fault.MISSING, "");
        }
        String want = text(engine);
        if (!actual.get().equals(want)) {
            return new Finding(
                    Fault.OTHER_TEXT,
                    actual.get().strip().equals(want.strip())
                            ? "the key, not as push writes it (alone on one line)"
                            : "another key (was the host key rotated?)");
        }
        if (Files.isSymbolicLink(file)) {
            return new Finding(Fault.LINK, "");
        }
        return looseMode(file).map(mode -> new Finding(Fault.LOOSE, mode)).orElse(new Finding(Fault.NONE, ""));
    }

    /** Returns the text of {@code engine}'s key file: its derived key on one line. */
    private String text(String engine) {
        return HostKey.engineKey(hostKey.orElseThrow(), engine) + "\n";
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
