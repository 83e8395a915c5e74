package dev.tandem.sync.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads every target and renders it before anything is written, so a parse error anywhere stops the whole
 * command with nothing written.
 */
public final class Planner {
    private Planner() {}

    public static Plan plan(List<Target> targets, List<String> warnings) {
        return plan(targets, warnings, List.of());
    }

    /** Plans {@code targets}; {@code conflicts} are the files left out because the person edited them. */
    public static Plan plan(List<Target> targets, List<String> warnings, List<Drift> conflicts) {
        List<Change> changes = new ArrayList<>();
        for (Target target : targets) {
            // a file Tandem owns whole is read strictly: a link or a hard link put there since the model read it
            // is refused, never read into the plan
            Optional<byte[]> actual = target.followsLinks() ? Contents.read(target.path()) : DeployedFile.owned(target);
            Optional<byte[]> desired = target.render(actual);
            if (!Contents.same(actual, desired)) {
                changes.add(new Change(target, actual, desired, target.drift(actual, desired)));
            } else if (desired.isPresent() && target.executable() && !ownerExecutable(target.path())) {
                changes.add(new Change(
                        target,
                        actual,
                        desired,
                        List.of(new Drift(target.path(), "mode", "rwx------", "not executable"))));
            }
        }
        return new Plan(changes, targets.size() + conflicts.size(), warnings, conflicts);
    }

    /** Returns whether {@code path} (not a link's target) has more than one hard link. */
    static boolean hardLinked(Path path) {
        try {
            return (Integer) Files.getAttribute(path, "unix:nlink", LinkOption.NOFOLLOW_LINKS) > 1;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return false; // no link count on this file system
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": cannot read its link count", e);
        }
    }

    static boolean ownerExecutable(Path path) {
        try {
            return Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS)
                    .contains(PosixFilePermission.OWNER_EXECUTE);
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": cannot read permissions", e);
        }
    }
}
