package dev.tandem.sync.engine;

import dev.tandem.core.cli.TerminalText;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes a plan to disk, all or nothing: each file is re-read (and rendered again if it changed since planning),
 * backed up and staged beside itself first; only when every file is staged are they renamed into place, and a
 * failure then puts back the ones already replaced ({@link FileTransaction}). Then the key files the plan names are
 * written, by path alone, without a backup; one that cannot be written does not stop the others, and after the summary
 * of what was written a {@link KeyWriteException} names each with its cause. A file the person edited since the last
 * push is not in the plan: it is named with how to settle it, the exit code is 1, and no key file is written.
 */
public final class DiskWriter implements Writer {
    private final Backups backups;
    private final PrintWriter out;
    private final KeyWriter keys;

    /** A writer for plans that name no key file. */
    public DiskWriter(Backups backups, PrintWriter out) {
        this(backups, out, KeyWriter.NONE);
    }

    public DiskWriter(Backups backups, PrintWriter out, KeyWriter keys) {
        this.backups = backups;
        this.out = out;
        this.keys = keys;
    }

    @Override
    public int apply(Plan plan) {
        int[] written = {0};
        try (FileTransaction tx = new FileTransaction(backups, line -> {
            out.println(TerminalText.safe(line));
            written[0] += line.startsWith("put back ") ? 0 : 1;
        })) {
            for (Change change : plan.changes()) {
                stage(tx, change);
            }
            tx.commit();
        } finally {
            out.flush();
        }
        List<String> failed = new ArrayList<>();
        int keyFiles = plan.conflicts().isEmpty() ? writeKeys(plan, failed) : 0;
        out.println(summary(plan, written[0], keyFiles, failed.size()));
        plan.warnings().forEach(w -> out.println("warning: " + TerminalText.lines(w)));
        plan.conflicts().forEach(c -> out.println(Plan.conflictLine(c)));
        out.flush();
        if (!failed.isEmpty()) {
            throw new KeyWriteException(String.join("; ", failed) + "; the files listed above were written, and"
                    + " push-runtime writes the key file(s) left once the cause is put right");
        }
        return plan.conflicts().isEmpty() ? 0 : 1;
    }

    /**
     * Writes the key files the plan names, each whatever became of the others; returns how many were written and adds
     * to {@code failed} the message of each that was not (its path and cause, never a key).
     */
    private int writeKeys(Plan plan, List<String> failed) {
        int done = 0;
        try {
            for (Drift key : plan.keys()) {
                try {
                    keys.write(key.file());
                } catch (UncheckedIOException | InputException e) {
                    failed.add(e.getMessage());
                    continue;
                }
                done++;
                out.println("write " + TerminalText.safe(String.valueOf(key.file())) + " ("
                        + TerminalText.safe(key.expected()) + ", was "
                        + TerminalText.safe(key.actual())
                        + "; a key is never shown)");
            }
            return done;
        } finally {
            out.flush();
        }
    }

    /**
     * The last line: what was written, counting only the files that changed, or how many are in sync (neither an
     * edited file left alone nor a key file is); key files that wait for an edited file, or could not be written, are
     * named whenever they do.
     */
    private String summary(Plan plan, int files, int keyFiles, int failed) {
        int waiting = plan.keys().size() - keyFiles - failed;
        String wait = waiting > 0
                ? waiting + " engine key file(s) wait for the edited file(s) below to be settled"
                : failed + " engine key file(s) could not be written (below)";
        boolean untold = waiting > 0 || failed > 0;
        if (files > 0) {
            return "tandem: wrote " + (files + keyFiles) + " file(s); backups under " + backups.root()
                    + (keyFiles > 0 ? " (none of the " + keyFiles + " key file(s): a key is never backed up)" : "")
                    + (untold ? "; " + wait : "");
        }
        int inSync = plan.checked() - plan.keys().size() - plan.conflicts().size();
        if (keyFiles > 0) {
            return "tandem: wrote " + keyFiles + " engine key file(s)" + (untold ? "; " + wait + ";" : ",") + " "
                    + inSync + " other files already in sync";
        } else if (untold) {
            return "tandem: nothing written; " + wait + ", " + inSync + " other files already in sync";
        }
        return "tandem: nothing to write, " + inSync + " files already in sync";
    }

    private static void stage(FileTransaction tx, Change change) {
        Target target = change.target();
        Path path = change.path();
        target.checkPath();
        Optional<byte[]> now = target.followsLinks() ? Contents.read(path) : DeployedFile.owned(target);
        Optional<byte[]> desired = Contents.same(now, change.before()) ? change.after() : target.render(now);
        try {
            boolean unchanged = Contents.same(now, desired);
            if (unchanged && !(desired.isPresent() && target.executable() && !Planner.ownerExecutable(path))) {
                return;
            }
            // a file Tandem owns whole gets its mode on a new file renamed into place below, never by a chmod of the
            // file there: a hard link put there since this check (or a home copied with 'cp -al') would share the
            // change with another file
            if (unchanged && target.followsLinks() && !Planner.hardLinked(path)) {
                tx.chmod(path, Target.EXECUTABLE);
            } else if (desired.isPresent()) {
                tx.replace(
                        path,
                        now,
                        desired.get(),
                        target.executable() ? Target.EXECUTABLE : target.newFileMode(),
                        target.executable(),
                        target.followsLinks());
            } else {
                tx.delete(path, now, target.pruneParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    path + ": cannot write (" + Failures.describe(e) + "); nothing was written", e);
        }
    }
}
