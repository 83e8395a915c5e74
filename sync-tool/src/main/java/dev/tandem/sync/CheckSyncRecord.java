package dev.tandem.sync;

import dev.tandem.core.config.OwnerOnly;
import dev.tandem.sync.engine.AtomicFile;
import dev.tandem.sync.engine.DriftReport;
import dev.tandem.sync.engine.Plan;
import dev.tandem.sync.engine.Target;
import dev.tandem.sync.runtime.Settings;
import dev.tandem.sync.text.JsonText;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import tools.jackson.databind.node.ObjectNode;

/**
 * Leaves the result of the last {@code check-sync} in {@code ~/.tandem/state/check-sync.json} (atomically, mode
 * 0600), where the hub's dashboard shows it: {@code at}, {@code exitCode}, {@code inSync}, {@code home} and the
 * {@code report} that {@code --json} prints.
 */
final class CheckSyncRecord {
    static final String FILE = "check-sync.json";

    private CheckSyncRecord() {}

    /** Returns where the record for {@code settings} goes. */
    static Path file(Settings settings) {
        return settings.stateDir().resolve(FILE);
    }

    /** Writes the record; a failure only warns on {@code err}: the check's own result stands. */
    static void save(Settings settings, Plan plan, int exitCode, Clock clock, PrintWriter err) {
        ObjectNode record = JsonText.object();
        record.put("at", clock.instant().toString());
        record.put("exitCode", exitCode);
        // in sync means no drift: a stale memories section is not drift, even when --strict made the exit 1
        record.put("inSync", !plan.hasDrift());
        record.put("home", settings.home().toString());
        record.set("report", DriftReport.toJson(plan));
        Path file = file(settings);
        try {
            CommonOptions.privateTandemDir(settings);
            OwnerOnly.dir(settings.stateDir());
            AtomicFile.write(file, (JsonText.compact(record) + "\n").getBytes(StandardCharsets.UTF_8), Target.PRIVATE);
        } catch (IOException | UncheckedIOException e) {
            err.println("tandem: warning: " + file + ": cannot record the check-sync result: " + e.getMessage());
            err.flush();
        }
    }
}
