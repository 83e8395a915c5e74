package dev.tandem.sync.engine;

import java.util.List;

/**
 * The outcome of planning: the changes, how many files were checked, and warnings that are not drift.
 *
 * @param changes files to change, in target order
 * @param checked how many targets were compared
 * @param warnings notes for the person (e.g. {@code $TANDEM_TOKEN} differs from the token file)
 */
public record Plan(List<Change> changes, int checked, List<String> warnings) {
    public Plan {
        changes = List.copyOf(changes);
        warnings = List.copyOf(warnings);
    }

    public boolean hasDrift() {
        return changes.stream().anyMatch(c -> !c.drifts().isEmpty());
    }
}
