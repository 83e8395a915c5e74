package dev.tandem.sync.engine;

import dev.tandem.core.fs.NotRegularFileException;
import dev.tandem.core.fs.RegularFiles;
import dev.tandem.core.hash.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Small helpers over file contents: reading, comparing, hashing, decoding. */
public final class Contents {
    private Contents() {}

    /**
     * Reads a file, empty when it does not exist; a symlink is followed to the regular file it names.
     *
     * @throws InputException when {@code path} is, or links to, anything but a regular file ({@link RegularFile}),
     *     also when one is put there between the check and the open
     */
    public static Optional<byte[]> read(Path path) {
        Optional<RegularFile.Resolved> file = RegularFile.resolved(path);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        // the file checked above is the one opened: a link is not followed, the open never blocks, and the type and
        // identity are checked on the open descriptor, so a FIFO or another file put there since is refused
        try (FileChannel ch = RegularFiles.open(
                        file.get().file(), Optional.ofNullable(file.get().fileKey()));
                InputStream in = Channels.newInputStream(ch)) {
            return Optional.of(in.readAllBytes());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (NotRegularFileException e) {
            throw replaced(path, file.get().file(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": cannot read: " + Failures.describe(e), e);
        }
    }

    /** The error for a regular file replaced (by a FIFO, a link, another file) between its check and its open. */
    static InputException replaced(Path path, Path file, NotRegularFileException e) {
        return InputException.of(
                path,
                (file.equals(path) ? "" : "links to " + file + ", which ")
                        + "changed while tandem opened it (" + e.getReason() + "); tandem sync reads regular files"
                        + " only and read nothing: run the command again");
    }

    public static boolean same(Optional<byte[]> a, Optional<byte[]> b) {
        return a.isPresent() == b.isPresent() && (a.isEmpty() || Arrays.equals(a.get(), b.get()));
    }

    public static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public static Optional<String> text(Optional<byte[]> bytes) {
        return bytes.map(Contents::text);
    }

    public static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The default drift of a whole file: present or not, and its hash. */
    static List<Drift> drift(Path path, Optional<byte[]> actual, Optional<byte[]> desired) {
        if (same(actual, desired)) {
            return List.of();
        }
        if (actual.isEmpty()) {
            return List.of(new Drift(path, "file", "present", "missing"));
        }
        if (desired.isEmpty()) {
            return List.of(new Drift(path, "file", "absent", "present"));
        }
        return List.of(new Drift(
                path, "content", "sha256 " + Sha256.hex(desired.get()), "sha256 " + Sha256.hex(actual.get())));
    }
}
