package dev.tandem.hub.logging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends the hub's log records to {@code DIR/hub.0.log} instead of standard error, rotated by size: at 10 MiB the
 * files move up ({@code hub.0.log} becomes {@code hub.1.log}, …) and the fifth is dropped. For an init system that
 * keeps standard error in a file it never rotates (launchd); systemd's journal rotates on its own.
 */
public final class RotatedLogs {
    public static final int LIMIT_BYTES = 10 * 1024 * 1024;
    public static final int FILES = 5;

    private RotatedLogs() {}

    /** Returns the file being written, {@code DIR/hub.0.log}. */
    public static Path current(Path dir) {
        return dir.resolve("hub.0.log");
    }

    /** Replaces the root logger's handlers by a rotating file handler in {@code dir} (created owner-only). */
    public static void into(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(
                        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            FileHandler file = new FileHandler(dir.resolve("hub.%g.log").toString(), LIMIT_BYTES, FILES, true);
            file.setFormatter(new OneLineFormatter());
            file.setLevel(Level.ALL);
            Logger root = Logger.getLogger("");
            for (Handler h : root.getHandlers()) {
                root.removeHandler(h);
                h.close();
            }
            root.addHandler(file);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot write the hub's log there: " + e.getMessage(), e);
        }
    }
}
