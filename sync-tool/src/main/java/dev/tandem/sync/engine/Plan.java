package dev.tandem.sync.engine;

import java.util.List;

/**
 * The outcome of planning: the changes, how many files were checked, warnings that are not drift, and the files
 * left alone because the person edited them.
 *
 * @param changes files to change, in target order
 * @param checked how many targets were compared
 * @param warnings notes for the person (e.g. {@code $TANDEM_TOKEN} differs from the token file)
 * @param conflicts files Tandem wrote that were edited since: nothing is written to them
 */
public record Plan(List<Change> changes, int checked, List<String> warnings, List<Drift> conflicts) {
    public Plan {
        changes = List.copyOf(changes);
        warnings = List.copyOf(warnings);
        conflicts = List.copyOf(conflicts);
    }

    public Plan(List<Change> changes, int checked, List<String> warnings) {
        this(changes, checked, warnings, List.of());
    }

    /** Returns whether the person's config no longer matches the source (edited files included). */
    public boolean hasDrift() {
        return !conflicts.isEmpty()
                || changes.stream().flatMap(c -> c.drifts().stream()).anyMatch(d -> d.kind() == Drift.Kind.DRIFT);
    }

    /** Returns whether a live section is older than the state it shows. */
    public boolean hasStale() {
        return changes.stream().flatMap(c -> c.drifts().stream()).anyMatch(d -> d.kind() == Drift.Kind.STALE);
    }

    /** Returns the line that tells the person how to settle an edited file. */
    public static String conflictLine(Drift conflict) {
        return "tandem: " + conflict.file() + ": edited since the last push, so push-runtime left it as it is; keep"
                + " the edit with 'tandem sync pull-runtime', or replace it with 'tandem sync push-runtime --force "
                + conflict.file() + "'";
    }
}
