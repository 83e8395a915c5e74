package dev.tandem.sync.engine;

import dev.tandem.core.cli.TerminalText;
import dev.tandem.sync.text.JsonText;
import java.io.PrintWriter;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reports a plan as drift (check-sync): exit 0 when no change has drift, 1 otherwise. Changes without drift
 * (lost markers, {@code 20} written as {@code 20.0}) are in sync: drift is judged on values, not text. A live
 * section older than the hub's state (the memories) is reported as stale, which is not drift: exit 0 unless
 * {@code strict}. A file edited since the last push is drift that push-runtime does not settle on its own.
 */
public final class DriftReport implements Writer {
    private final PrintWriter out;
    private final boolean json;
    private final boolean strict;

    public DriftReport(PrintWriter out, boolean json) {
        this(out, json, false);
    }

    /** A report that, when {@code strict}, also exits 1 on a stale live section. */
    public DriftReport(PrintWriter out, boolean json, boolean strict) {
        this.out = out;
        this.json = json;
        this.strict = strict;
    }

    @Override
    public int apply(Plan plan) {
        if (json) {
            out.println(TerminalText.json(JsonText.compact(toJson(plan))));
        } else {
            printText(plan);
        }
        out.flush();
        return exitCode(plan, strict);
    }

    /** Returns check-sync's exit code for {@code plan}: 1 on drift, or with {@code strict} on a stale section. */
    public static int exitCode(Plan plan, boolean strict) {
        return plan.hasDrift() || (strict && plan.hasStale()) ? 1 : 0;
    }

    private void printText(Plan plan) {
        print("drift: ", plan.changes(), Drift.Kind.DRIFT);
        for (Drift k : plan.keys()) {
            out.println("drift: " + TerminalText.safe(String.valueOf(k.file())));
            out.println(item(k));
        }
        for (Drift c : plan.conflicts()) {
            out.println("edited: " + TerminalText.safe(String.valueOf(c.file())));
            out.println("  edited since the last push (sha256 " + c.actual() + ", pushed " + c.expected() + "): "
                    + Plan.settle(c));
        }
        print("stale: ", plan.changes(), Drift.Kind.STALE);
        plan.warnings().forEach(w -> out.println("warning: " + TerminalText.lines(w)));
        long drifted = plan.changes().stream()
                        .filter(c -> c.drifts().stream().anyMatch(d -> d.kind() == Drift.Kind.DRIFT))
                        .count()
                + plan.conflicts().size()
                + plan.keys().size();
        long stale = plan.changes().stream()
                .filter(c -> c.drifts().stream().anyMatch(d -> d.kind() == Drift.Kind.STALE))
                .count();
        String staleNote = stale == 0
                ? ""
                : "; the memories of " + stale + " agent document(s) are older than the hub's store (stale, not"
                        + " drift): 'tandem sync push-runtime' refreshes them";
        if (drifted == 0) {
            out.println("tandem: in sync (" + plan.checked() + " files checked)" + staleNote);
        } else if (plan.conflicts().isEmpty()) {
            out.println("tandem: drift in " + drifted + " of " + plan.checked() + " files; run 'tandem sync"
                    + " push-runtime'" + staleNote);
        } else {
            out.println("tandem: drift in " + drifted + " of " + plan.checked() + " files, "
                    + plan.conflicts().size() + " of them edited since the last push (push-runtime leaves those"
                    + " alone: pull-runtime keeps the edits it takes, as said for each above, push-runtime --force FILE"
                    + " replaces them)" + staleNote);
        }
    }

    /**
     * Returns a drift's line: what the client's file holds is anyone's who can write that file (an agent among them),
     * so no control character of it reaches the terminal.
     */
    private static String item(Drift d) {
        return "  " + TerminalText.safe(d.item()) + ": expected " + TerminalText.safe(d.expected()) + ", actual "
                + TerminalText.safe(d.actual());
    }

    private void print(String label, List<Change> changes, Drift.Kind kind) {
        for (Change change : changes) {
            List<Drift> items =
                    change.drifts().stream().filter(d -> d.kind() == kind).toList();
            if (items.isEmpty()) {
                continue;
            }
            out.println(label + TerminalText.safe(String.valueOf(change.path())));
            for (Drift d : items) {
                out.println(item(d));
            }
        }
    }

    /** Returns the report {@code --json} prints for {@code plan}. */
    public static ObjectNode toJson(Plan plan) {
        ObjectNode root = JsonText.object();
        root.put("version", 1);
        root.put("status", plan.hasDrift() ? "drift" : plan.hasStale() ? "stale" : "in-sync");
        root.put("checked", plan.checked());
        ArrayNode drift = root.putArray("drift");
        ArrayNode stale = root.putArray("stale");
        for (Change change : plan.changes()) {
            for (Drift d : change.drifts()) {
                item(d.kind() == Drift.Kind.STALE ? stale : drift, d);
            }
        }
        plan.keys().forEach(k -> item(drift, k));
        plan.conflicts().forEach(c -> item(drift, c));
        ArrayNode warnings = root.putArray("warnings");
        plan.warnings().forEach(warnings::add);
        return root;
    }

    private static void item(ArrayNode list, Drift d) {
        ObjectNode item = list.addObject();
        item.put("file", d.file().toString());
        item.put("item", d.item());
        item.put("expected", d.expected());
        item.put("actual", d.actual());
        if (d.kind() == Drift.Kind.CONFLICT) {
            item.put("kind", "edited");
        }
    }
}
