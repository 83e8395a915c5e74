package dev.tandem.sync.runtime;

import dev.tandem.sync.engine.Contents;
import dev.tandem.sync.engine.InputException;
import dev.tandem.sync.engine.Target;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;

/**
 * A whole file Tandem owns (a skill, a command, a memory file, the auth helper). A file already there that the
 * manifest does not list is the person's: it is refused unless it already has the desired content.
 */
final class FileTarget implements Target {
    private final Path path;
    private final byte[] content;
    private final boolean owned;
    private final boolean executable;
    private final boolean pruneParent;

    FileTarget(Path path, byte[] content, boolean owned, boolean executable, boolean pruneParent) {
        this.path = path;
        this.content = content.clone();
        this.owned = owned;
        this.executable = executable;
        this.pruneParent = pruneParent;
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public Optional<byte[]> render(Optional<byte[]> actual) {
        if (actual.isPresent() && !owned && !Contents.same(actual, Optional.of(content))) {
            throw InputException.of(
                    path, "exists and was not written by tandem; move it away (or delete it) and push again");
        }
        return Optional.of(content.clone());
    }

    @Override
    public boolean executable() {
        return executable;
    }

    @Override
    public boolean pruneParent() {
        return pruneParent;
    }

    @Override
    public Set<PosixFilePermission> newFileMode() {
        return executable ? EXECUTABLE : PUBLIC;
    }
}
