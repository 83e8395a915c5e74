package dev.tandem.sync;

import dev.tandem.sync.engine.Change;
import dev.tandem.sync.engine.Drift;
import dev.tandem.sync.engine.Plan;
import dev.tandem.sync.engine.Target;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Adds check-sync's findings on the engines' derived fleet keys to its plan. The keys are not targets of the push
 * plan (a dry run's diff or a backup would hold them), so each finding is a change that names the file and what is
 * wrong with it, never its content.
 */
final class FleetKeyCheck {
    private FleetKeyCheck() {}

    static Plan with(Plan plan, List<Drift> keys) {
        if (keys.isEmpty()) {
            return plan;
        }
        List<Change> changes = new ArrayList<>(plan.changes());
        for (Drift d : keys) {
            changes.add(new Change(new Reported(d.file()), Optional.empty(), Optional.empty(), List.of(d)));
        }
        return new Plan(changes, plan.checked() + keys.size(), plan.warnings(), plan.conflicts());
    }

    /** A file check-sync reports on but never renders. */
    private record Reported(Path path) implements Target {
        @Override
        public Optional<byte[]> render(Optional<byte[]> actual) {
            return Optional.empty();
        }
    }
}
