package dev.tandem.sync.engine;

import java.nio.file.Path;

/**
 * Writes a key file a plan names ({@link Plan#keys}, an engine's fleet key) outside the file transaction, so neither a
 * backup nor a diff ever holds a key.
 */
@FunctionalInterface
public interface KeyWriter {
    /** For commands whose plans name no key file (pull, clean): refuses any. */
    KeyWriter NONE = file -> {
        throw new IllegalStateException(file + ": this command writes no key file");
    };

    /** Writes the key {@code file} should hold; throws {@link java.io.UncheckedIOException} naming it on failure. */
    void write(Path file);
}
