package dev.tandem.sync.engine;

import dev.tandem.sync.text.JsonText;
import java.io.PrintWriter;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reports a plan as drift (check-sync): exit 0 when no change has drift, 1 otherwise. Changes without drift
 * (lost markers, {@code 20} written as {@code 20.0}) are in sync: drift is judged on values, not text.
 */
public final class DriftReport implements Writer {
    private final PrintWriter out;
    private final boolean json;

    public DriftReport(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    @Override
    public int apply(Plan plan) {
        if (json) {
            out.println(JsonText.compact(toJson(plan)));
        } else {
            printText(plan);
        }
        out.flush();
        return plan.hasDrift() ? 1 : 0;
    }

    private void printText(Plan plan) {
        for (Change change : plan.changes()) {
            if (change.drifts().isEmpty()) {
                continue;
            }
            out.println("drift: " + change.path());
            for (Drift d : change.drifts()) {
                out.println("  " + d.item() + ": expected " + d.expected() + ", actual " + d.actual());
            }
        }
        plan.warnings().forEach(w -> out.println("warning: " + w));
        long drifted =
                plan.changes().stream().filter(c -> !c.drifts().isEmpty()).count();
        out.println(
                drifted == 0
                        ? "tandem: in sync (" + plan.checked() + " files checked)"
                        : "tandem: drift in " + drifted + " of " + plan.checked()
                                + " files; run 'tandem sync push-runtime'");
    }

    /** Returns the report {@code --json} prints for {@code plan}. */
    public static ObjectNode toJson(Plan plan) {
        ObjectNode root = JsonText.object();
        root.put("version", 1);
        root.put("status", plan.hasDrift() ? "drift" : "in-sync");
        root.put("checked", plan.checked());
        ArrayNode drift = root.putArray("drift");
        for (Change change : plan.changes()) {
            for (Drift d : change.drifts()) {
                ObjectNode item = drift.addObject();
                item.put("file", d.file().toString());
                item.put("item", d.item());
                item.put("expected", d.expected());
                item.put("actual", d.actual());
            }
        }
        ArrayNode warnings = root.putArray("warnings");
        plan.warnings().forEach(warnings::add);
        return root;
    }
}
