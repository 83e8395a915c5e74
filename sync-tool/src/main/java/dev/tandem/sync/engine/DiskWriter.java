package dev.tandem.sync.engine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Writes a plan to disk: each file is re-read right before it is written (and rendered again if it changed since
 * planning), backed up, then replaced atomically.
 */
public final class DiskWriter implements Writer {
    private final Backups backups;
    private final PrintWriter out;

    public DiskWriter(Backups backups, PrintWriter out) {
        this.backups = backups;
        this.out = out;
    }

    @Override
    public int apply(Plan plan) {
        int written = 0;
        for (Change change : plan.changes()) {
            try {
                written += write(change) ? 1 : 0;
            } catch (IOException e) {
                throw new UncheckedIOException(change.path() + ": cannot write: " + e.getMessage(), e);
            }
        }
        if (written == 0) {
            out.println("tandem: nothing to write, " + plan.checked() + " files already in sync");
        } else {
            out.println("tandem: wrote " + written + " file(s); backups under " + backups.root());
        }
        plan.warnings().forEach(w -> out.println("warning: " + w));
        out.flush();
        return 0;
    }

    private boolean write(Change change) throws IOException {
        Target target = change.target();
        Path path = change.path();
        Optional<byte[]> now = Contents.read(path);
        Optional<byte[]> desired = Contents.same(now, change.before()) ? change.after() : target.render(now);
        if (Contents.same(now, desired)) {
            if (desired.isPresent() && target.executable() && !Planner.ownerExecutable(path)) {
                AtomicFile.chmod(path, Target.EXECUTABLE);
                out.println("chmod " + path);
                return true;
            }
            return false;
        }
        if (now.isPresent()) {
            backups.save(path, now.get());
        }
        if (desired.isPresent()) {
            AtomicFile.write(path, desired.get(), target.executable() ? Target.EXECUTABLE : target.newFileMode());
            if (target.executable()) {
                AtomicFile.chmod(path, Target.EXECUTABLE);
            }
        } else {
            Files.deleteIfExists(path);
            if (target.pruneParent()) {
                pruneEmpty(path.getParent());
            }
        }
        out.println(change.verb() + " " + path);
        return true;
    }

    private static void pruneEmpty(Path dir) throws IOException {
        try {
            Files.deleteIfExists(dir);
        } catch (DirectoryNotEmptyException e) {
            // the person keeps other files there
        }
    }
}
