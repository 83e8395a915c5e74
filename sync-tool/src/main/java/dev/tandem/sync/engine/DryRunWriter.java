package dev.tandem.sync.engine;

import dev.tandem.core.cli.TerminalText;
import dev.tandem.sync.text.Lines;
import java.io.PrintWriter;
import java.util.List;

/** Prints the plan and a diff of every file it would change (a key file by its path alone); writes nothing. */
public final class DryRunWriter implements Writer {
    private final PrintWriter out;

    public DryRunWriter(PrintWriter out) {
        this.out = out;
    }

    @Override
    public int apply(Plan plan) {
        if (plan.changes().isEmpty() && plan.keys().isEmpty()) {
            out.println("tandem: nothing to write, " + plan.checked() + " files already in sync");
        }
        for (Change change : plan.changes()) {
            out.println("would " + change.verb() + " " + TerminalText.safe(String.valueOf(change.path())));
            List<String> before = lines(change.before());
            List<String> after = lines(change.after());
            // the lines before are the client's file's, anyone's who can write it: shown, never acted on
            LineDiff.diff(before, after).forEach(line -> out.println("    " + TerminalText.output(line)));
        }
        for (Drift key : plan.keys()) {
            out.println("would write " + TerminalText.safe(String.valueOf(key.file())) + " ("
                    + TerminalText.safe(key.expected()) + ", now "
                    + TerminalText.safe(key.actual())
                    + "; a key is never shown)");
        }
        plan.warnings().forEach(w -> out.println("warning: " + TerminalText.lines(w)));
        plan.conflicts().forEach(c -> out.println(Plan.conflictLine(c)));
        int files = plan.changes().size() + plan.keys().size();
        out.println("tandem: dry run, nothing written (" + files + " file(s) would change)");
        out.flush();
        return plan.conflicts().isEmpty() ? 0 : 1;
    }

    private static List<String> lines(java.util.Optional<byte[]> content) {
        return content.map(b -> Lines.plain(Contents.text(b))).orElse(List.of());
    }
}
