package dev.tandem.hub.cli;

import dev.tandem.core.cli.TerminalText;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/** Prints job records for people: one line per job in a list, a block of fields for one job. */
final class JobsPrint {
    private JobsPrint() {}

    static void json(PrintWriter out, JsonNode node) {
        // the same values; C1, bidi and other format characters of an agent's text as \\uXXXX, as C0 already are
        out.println(TerminalText.json(
                HubClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node)));
    }

    static void table(PrintWriter out, JsonNode jobs) {
        out.printf(
                Locale.ROOT,
                "%-9s %-7s %-12s %-11s %9s %10s  %s%n",
                "ID",
                "ENGINE",
                "STATUS",
                "MODE",
                "ELAPSED",
                "TOKENS",
                "SUMMARY");
        for (JsonNode j : jobs) {
            out.printf(
                    Locale.ROOT,
                    "%-9s %-7s %-12s %-11s %9s %10s  %s%n",
                    TerminalText.safe(text(j, "id")),
                    TerminalText.safe(text(j, "engine")),
                    TerminalText.safe(text(j, "status")),
                    TerminalText.safe(text(j, "mode")),
                    elapsed(j.path("elapsed_ms").asLong()),
                    j.path("tokens").path("input").asLong()
                            + j.path("tokens").path("output").asLong(),
                    oneLine(text(j, "summary").isEmpty() ? text(j, "prompt") : text(j, "summary"), 60));
        }
    }

    /**
     * Prints one job's fields. Each value is one line, made {@link TerminalText#safe} as it is printed: the prompt,
     * summary, changed files, pending approvals, error and session come from the agent and its model.
     */
    static void record(PrintWriter out, JsonNode j) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"id", text(j, "id")});
        rows.add(new String[] {"engine", text(j, "engine") + " (" + text(j, "mode") + ")"});
        rows.add(new String[] {"status", text(j, "status")});
        rows.add(new String[] {"dir", text(j, "dir")});
        rows.add(new String[] {"prompt", oneLine(text(j, "prompt"), 200)});
        rows.add(new String[] {"sandbox", text(j, "sandbox") + ", approval " + text(j, "approval")});
        rows.add(new String[] {"elapsed", elapsed(j.path("elapsed_ms").asLong())});
        JsonNode t = j.path("tokens");
        rows.add(new String[] {
            "tokens",
            t.path("input").asLong() + " in (" + t.path("cached_input").asLong() + " cached), "
                    + t.path("output").asLong() + " out"
                    + (t.path("context_used_pct").isNumber()
                            ? ", context " + t.path("context_used_pct").asDouble() + "%"
                            : "")
        });
        if (j.path("cost_usd").isNumber()) {
            rows.add(new String[] {
                "cost", String.format(Locale.ROOT, "$%.4f", j.path("cost_usd").asDouble())
            });
        }
        JsonNode ledger = j.path("ledger");
        if (ledger.isObject()) {
            long unpriced = ledger.path("unpricedResponses").asLong();
            rows.add(new String[] {
                "ledger cost",
                String.format(
                        Locale.ROOT,
                        "$%.4f for %d responses, %d tokens (tandem usage)%s",
                        ledger.path("costUSD").asDouble(),
                        ledger.path("responses").asLong(),
                        ledger.path("totalTokens").asLong(),
                        unpriced > 0 ? ", " + unpriced + " unpriced" : "")
            });
        }
        List<String> files = new ArrayList<>();
        j.path("files_modified").forEach(f -> files.add(f.asString()));
        rows.add(new String[] {"files", files.isEmpty() ? "-" : String.join(", ", files)});
        for (JsonNode c : j.path("protected_changes")) {
            rows.add(new String[] {
                "PROTECTED",
                text(c, "change") + " " + text(c, "path")
                        + switch (text(c, "change")) {
                            case "unchecked" -> "  (changes may have been missed; check git status)";
                            case "present" ->
                                "  (there now; an earlier look did not reach it, so whether the job changed it is"
                                        + " unknown: review it)";
                            default -> "  (runs code when the project is next opened; not reverted: review it)";
                        }
            });
        }
        rows.add(new String[] {"session", text(j, "session_id").isEmpty() ? "-" : text(j, "session_id")});
        for (JsonNode p : j.path("pending")) {
            rows.add(new String[] {
                "waiting on",
                "#" + text(p, "id") + " " + text(p, "kind") + ": " + text(p, "summary") + "  (tandem jobs approve "
                        + text(j, "id") + " " + text(p, "id") + " [--deny])"
            });
        }
        if (!text(j, "summary").isEmpty()) {
            rows.add(new String[] {"summary", oneLine(text(j, "summary"), 500)});
        }
        if (!text(j, "error").isEmpty()) {
            rows.add(new String[] {"error", text(j, "error")});
        }
        for (String[] r : rows) {
            out.printf(Locale.ROOT, "%-11s %s%n", r[0] + ":", TerminalText.safe(r[1]));
        }
    }

    static String text(JsonNode j, String field) {
        JsonNode v = j.path(field);
        return v.isString() ? v.stringValue() : "";
    }

    static String elapsed(long ms) {
        long s = ms / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + String.format(Locale.ROOT, "%02ds", s % 60);
        }
        return s / 3600 + "h" + String.format(Locale.ROOT, "%02dm", s % 3600 / 60);
    }

    /** Returns {@code text} on one line, shortened to {@code max} characters, made {@link TerminalText#safe}. */
    static String oneLine(String text, int max) {
        String flat = text.replaceAll("\\s+", " ").strip();
        if (flat.length() > max) {
            int end = Character.isHighSurrogate(flat.charAt(max - 2)) ? max - 2 : max - 1;
            flat = flat.substring(0, end) + "…";
        }
        return TerminalText.safe(flat);
    }
}
