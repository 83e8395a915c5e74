package dev.tandem.sync.runtime;

import dev.tandem.sync.engine.Drift;
import dev.tandem.sync.engine.Target;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Tandem's own bookkeeping file (the manifest, the bytes kept from before the first push), or a file given back
 * as it was: written like the others (a new one owner-only), never reported as drift.
 */
record GeneratedTarget(Path path, Optional<byte[]> content) implements Target {
    @Override
    public Set<PosixFilePermission> newFileMode() {
        return PRIVATE;
    }

    @Override
    public Optional<byte[]> render(Optional<byte[]> actual) {
        return content;
    }

    @Override
    public List<Drift> drift(Optional<byte[]> actual, Optional<byte[]> desired) {
        return List.of();
    }
}
