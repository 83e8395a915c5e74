package dev.tandem.sync.runtime;

import dev.tandem.core.hash.Sha256;
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
    /** Refuses a link on the way to a deployed file ({@link Links}); absent for a file in the person's repo. */
    private final Optional<Runnable> guard;
    /** The sha256 of the bytes push last wrote at a deployed file, the only ones a hard-linked file may hold. */
    private final Optional<String> pushed;

    FileTarget(Path path, byte[] content, boolean owned, boolean executable, boolean pruneParent) {
        this(path, content, owned, executable, pruneParent, Optional.empty(), Optional.empty());
    }

    /**
     * A file Tandem deploys into a client's folder: {@code guard} runs again right before it is staged, and the
     * path itself is replaced, never a file a link there names (a link put in place after the check included).
     */
    FileTarget(
            Path path,
            byte[] content,
            boolean owned,
            boolean executable,
            boolean pruneParent,
            Optional<Runnable> guard,
            Optional<String> pushed) {
        this.path = path;
        this.content = content.clone();
        this.owned = owned;
        this.executable = executable;
        this.pruneParent = pruneParent;
        this.guard = guard;
        this.pushed = pushed;
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
    public boolean followsLinks() {
        return guard.isEmpty();
    }

    @Override
    public boolean mayShare(byte[] bytes) {
        return pushed.filter(Sha256.hex(bytes)::equals).isPresent();
    }

    @Override
    public void checkPath() {
        guard.ifPresent(Runnable::run);
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
