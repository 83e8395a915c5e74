package dev.tandem.sync;

import dev.tandem.sync.engine.Plan;
import dev.tandem.sync.runtime.Settings;

/**
 * Adds the engines' derived fleet keys to a push plan: each key file counts as checked, and a missing or stale one is
 * named with what is wrong with it, never its content. The keys are not targets of the plan (a dry run's diff or a
 * backup would hold them); push writes them after a plan that wrote everything.
 */
final class FleetKeyCheck {
    private FleetKeyCheck() {}

    static Plan with(Plan plan, Settings settings) {
        var names = settings.engine().names();
        return settings.fleet()
                .map(f -> plan.withKeys(
                        f.keyFiles(settings.tandemDir(), names).size(), f.keyDrift(settings.tandemDir(), names)))
                .orElse(plan);
    }
}
