package dev.tandem.sync.engine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Writes a plan to disk, all or nothing: each file is re-read (and rendered again if it changed since planning),
 * backed up and staged beside itself first; only when every file is staged are they renamed into place, and a
 * failure then puts back the ones already replaced ({@link FileTransaction}). A file the person edited since the
 * last push is not in the plan: it is named with how to settle it, and the exit code is 1.
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
        int[] written = {0};
        try (FileTransaction tx = new FileTransaction(backups, line -> {
            out.println(line);
            written[0] += line.startsWith("put back ") ? 0 : 1;
        })) {
            for (Change change : plan.changes()) {
                stage(tx, change);
            }
            tx.commit();
        } finally {
            out.flush();
        }
        if (written[0] == 0) {
            out.println("tandem: nothing to write, " + plan.checked() + " files already in sync");
        } else {
            out.println("tandem: wrote " + written[0] + " file(s); backups under " + backups.root());
        }
        plan.warnings().forEach(w -> out.println("warning: " + w));
        plan.conflicts().forEach(c -> out.println(Plan.conflictLine(c)));
        out.flush();
        return plan.conflicts().isEmpty() ? 0 : 1;
    }

    private static void stage(FileTransaction tx, Change change) {
        Target target = change.target();
        Path path = change.path();
        Optional<byte[]> now = Contents.read(path);
        Optional<byte[]> desired = Contents.same(now, change.before()) ? change.after() : target.render(now);
        try {
            if (Contents.same(now, desired)) {
                if (desired.isPresent() && target.executable() && !Planner.ownerExecutable(path)) {
                    tx.chmod(path, Target.EXECUTABLE);
                }
            } else if (desired.isPresent()) {
                tx.replace(
                        path,
                        now,
                        desired.get(),
                        target.executable() ? Target.EXECUTABLE : target.newFileMode(),
                        target.executable());
            } else {
                tx.delete(path, now, target.pruneParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    path + ": cannot write (" + Failures.describe(e) + "); nothing was written", e);
        }
    }
}
