package dev.tandem.hub.jobs;

import dev.tandem.core.jobs.ProtectedChange;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The protected files of one engine process's folder: a snapshot taken before the process starts, compared with the
 * folder at each turn's end and at the process's exit (whatever ended it), each comparison becoming the next one's
 * starting point. Called from the threads that report the process's events, never under the service's lock.
 */
final class ProtectedWatch {
    private static final Logger LOG = Logger.getLogger(ProtectedWatch.class.getName());

    private final ProtectedFiles files;
    private final Path dir;
    private ProtectedFiles.Snapshot last;

    ProtectedWatch(ProtectedFiles files, Path dir) {
        this.files = files;
        this.dir = dir;
        this.last = first(files, dir);
    }

    private static ProtectedFiles.Snapshot first(ProtectedFiles files, Path dir) {
        try {
            return files.take(dir);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "jobs: looking at the protected files of " + dir + " failed", e);
            return new ProtectedFiles.Snapshot(dir, java.util.Map.of(), false);
        }
    }

    /** Returns what changed since the last look, and looks again. */
    synchronized List<ProtectedChange> check() {
        try {
            ProtectedFiles.Snapshot now = files.take(dir);
            List<ProtectedChange> changes = ProtectedFiles.diff(last, now);
            last = now;
            return changes;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "jobs: comparing the protected files of " + dir + " failed", e);
            return List.of(new ProtectedChange(dir.toString(), "unchecked"));
        }
    }
}
