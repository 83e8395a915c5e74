package dev.tandem.sync.runtime;

import dev.tandem.sync.engine.Target;
import java.nio.file.Path;
import java.util.Optional;

/** A file Tandem wrote earlier (listed in the manifest) that should no longer exist. */
record DeleteTarget(Path path, boolean pruneParent) implements Target {
    @Override
    public Optional<byte[]> render(Optional<byte[]> actual) {
        return Optional.empty();
    }
}
