package dev.tandem.hub.usage;

import dev.tandem.core.cli.TerminalText;
import dev.tandem.core.usage.Tokens;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The reports as tables for people ({@code tandem usage …} without {@code --json}): per row one line per engine and,
 * when both engines are shown, their total; per model lines under each engine with {@code --breakdown model}; then
 * the totals, the budgets and what could not be priced.
 */
public final class ReportTable {
    private static final String ALL_HOSTS = "all hosts";
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);
    private static final String[] AMOUNT_HEADER = {
        "Responses>", "Input>", "Output>", "Cache write>", "Cache read>", "Total tokens>", "Cost (USD)>"
    };

    private final Path home;

    /** @param home shown as {@code ~} in project paths */
    public ReportTable(Path home) {
        this.home = home;
    }

    /** Prints a daily, monthly, session or project report. */
    public void print(Report r, PrintWriter out) {
        String first = switch (r.kind()) {
            case "daily" -> "Date";
            case "monthly" -> "Month";
            case "session" -> "Last activity";
            default -> "Project";
        };
        boolean sessions = r.kind().equals("session");
        List<String> head = new ArrayList<>(List.of(first, "Engine"));
        if (sessions) {
            head.addAll(List.of("Session", "Project"));
        }
        head.addAll(List.of(AMOUNT_HEADER));
        if (sessions) {
            head.add("Hub tools");
        }
        TextTable t = new TextTable(head.toArray(String[]::new));
        boolean both = r.query().engine().equals("all");
        for (Row row : r.rows()) {
            if (sessions) {
                sessionLines(t, row, r.zone());
            } else {
                rowLines(t, label(r.kind(), row.key()), row, both);
            }
        }
        if (r.rows().isEmpty()) {
            out.println("No usage recorded" + range(r.query()) + ".");
        } else {
            t.separator();
            if (sessions) {
                for (Map.Entry<String, Amount> e : r.totals().engines().entrySet()) {
                    List<String> c = new ArrayList<>(List.of("Total", e.getKey(), "", ""));
                    c.addAll(List.of(amountCells(e.getValue())));
                    c.add("");
                    t.row(c.toArray(String[]::new));
                }
            } else {
                rowLines(t, "Total", r.totals(), both);
            }
            t.print(out);
        }
        footer(r, out);
    }

    private String label(String kind, String key) {
        return kind.equals("project") ? shortPath(key) : key;
    }

    private void rowLines(TextTable t, String key, Row row, boolean both) {
        String k = key;
        for (Map.Entry<String, Amount> e : row.engines().entrySet()) {
            t.row(cells(k, e.getKey(), e.getValue()));
            k = "";
            Map<String, Amount> models = row.models().get(e.getKey());
            if (models != null) {
                models.forEach((model, a) -> t.row(cells("", "  " + model, a)));
            }
        }
        if (both && row.engines().size() > 1) {
            t.row(cells("", "both", row.total()));
        }
    }

    private void sessionLines(TextTable t, Row row, ZoneId zone) {
        String last = row.labels().containsKey("lastActivity")
                ? MINUTE.format(Instant.parse(row.labels().get("lastActivity")).atZone(zone))
                : "";
        String engine = row.labels().getOrDefault("engine", "");
        String session = row.labels().getOrDefault("session", "");
        List<String> c = new ArrayList<>(List.of(
                last,
                engine,
                session.isEmpty() ? "(not tied to a session)" : session,
                shortPath(row.labels().getOrDefault("project", ""))));
        c.addAll(List.of(amountCells(row.total())));
        c.add(row.hubCalls().stream()
                .map(h -> h.tool() + " x" + h.calls() + (h.errors() > 0 ? " (" + h.errors() + " failed)" : ""))
                .collect(Collectors.joining(", ")));
        t.row(c.toArray(String[]::new));
        Map<String, Amount> models = row.models().get(engine);
        if (models != null) {
            models.forEach((model, a) -> {
                List<String> m = new ArrayList<>(List.of("", "", "  " + model, ""));
                m.addAll(List.of(amountCells(a)));
                m.add("");
                t.row(m.toArray(String[]::new));
            });
        }
    }

    private static String[] cells(String key, String engine, Amount a) {
        String[] amount = amountCells(a);
        String[] out = new String[amount.length + 2];
        out[0] = key;
        out[1] = engine;
        System.arraycopy(amount, 0, out, 2, amount.length);
        return out;
    }

    static String[] amountCells(Amount a) {
        Tokens t = a.tokens();
        return new String[] {
            count(a.responses()),
            count(t.input()),
            count(t.output()),
            count(t.cacheWrite()),
            count(t.cacheRead()),
            count(t.total()),
            cost(a)
        };
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String cost(Amount a) {
        String c = String.format(Locale.ROOT, "$%,.2f", a.costUsd());
        return a.unpricedResponses() > 0 ? c + "*" : c;
    }

    private String shortPath(String path) {
        if (path.isEmpty()) {
            return "(unknown)";
        }
        String h = home.toString();
        if (path.equals(h)) {
            return "~";
        }
        return path.startsWith(h + "/") ? "~" + path.substring(h.length()) : path;
    }

    private static String range(Query q) {
        String engine = q.engine().equals("all") ? "" : " for " + q.engine();
        String since = q.since().map(d -> " since " + d).orElse("");
        String until = q.until().map(d -> " until " + d).orElse("");
        return engine + since + until;
    }

    private static void footer(Report r, PrintWriter out) {
        if (!r.unpricedModels().isEmpty()) {
            // model names from logs: printed through TerminalText, as the table's cells are
            out.println("* includes responses of models without a price, not in the cost: "
                    + TerminalText.safe(String.join(", ", new TreeSet<>(r.unpricedModels())))
                    + " (add them under [usage.prices] in hub.toml)");
        }
        if (r.damagedResponses() > 0) {
            out.println(damagedLine(r.damagedResponses()));
        }
        budgets(r.budgets(), out);
        out.println("Prices as of " + r.pricesAsOf() + "; days in " + r.zone().getId() + "; logs read "
                + r.scannedAt().map(Instant::toString).orElse("never") + ".");
    }

    /** Returns the line that says how many responses were left out as damaged (the log's warning names the files). */
    static String damagedLine(long responses) {
        return "! " + count(responses) + (responses == 1 ? " response" : " responses")
                + " not counted: damaged log lines give a token count or model name no response has (the warning"
                + " of the read that found them names each file and byte)";
    }

    /** Prints one line per budget at or over 80 %, or all of them with {@code all}. */
    static void budgets(List<BudgetStatus> budgets, PrintWriter out) {
        for (BudgetStatus b : budgets) {
            if (b.level() != BudgetStatus.Level.OK) {
                out.println(budgetLine(b));
            }
        }
    }

    /** Returns one line for a budget: {@code OVER: claude daily budget 2026-12-06: $12.40 of $10.00 (124 %)}. */
    public static String budgetLine(BudgetStatus b) {
        String who = b.budget().engine().equals("all") ? "total" : b.budget().engine();
        String period = b.budget().period() == Budget.Period.DAY ? "daily" : "monthly";
        return String.format(
                Locale.ROOT,
                "%s: %s %s budget %s: $%,.2f of $%,.2f (%.0f %%)%s",
                b.level().wireName().toUpperCase(Locale.ROOT),
                who,
                period,
                b.periodKey(),
                b.spentUsd(),
                b.budget().limitUsd(),
                b.share() * 100,
                b.unpricedResponses() > 0 ? ", not counting " + b.unpricedResponses() + " unpriced responses" : "");
    }

    /** Prints a blocks report. */
    public void print(Blocks.BlocksReport r, ZoneId zone, PrintWriter out) {
        TextTable blocks =
                new TextTable("Block start", "End", "Engine", "State", "Responses>", "Total tokens>", "Cost (USD)>");
        for (Blocks.Block b : r.blocks()) {
            blocks.row(
                    MINUTE.format(b.start().atZone(zone)),
                    MINUTE.format(b.end().atZone(zone)),
                    b.engine(),
                    b.active() ? "ACTIVE" : "",
                    count(b.amount().responses()),
                    count(b.amount().tokens().total()),
                    cost(b.amount()));
        }
        if (r.blocks().isEmpty()) {
            out.println("No 5-hour blocks" + range(r.query()) + ".");
        } else {
            blocks.print(out);
        }
        out.println();
        // a report of several hosts (a fleet's) names each window's: its own host, "all hosts" (their usage added) or
        // "-" (no host's); a report of one host needs no column
        boolean hosts = r.hosts().size() > 1;
        List<String> head = new ArrayList<>(
                List.of("Engine", "Window", "Used", "Since", "Resets", "Responses>", "Total tokens>", "Cost (USD)>"));
        if (hosts) {
            head.add(0, "Host");
        }
        TextTable windows = new TextTable(head.toArray(String[]::new));
        for (Blocks.Window w : r.windows()) {
            List<String> cells = new ArrayList<>();
            if (hosts) {
                cells.add(hostCell(w));
            }
            cells.addAll(List.of(
                    w.engine(),
                    windowName(w),
                    w.usedPercent()
                            .map(p -> String.format(Locale.ROOT, "%.1f %%", p))
                            .orElse("n/a"),
                    MINUTE.format(w.start().atZone(zone)),
                    w.resetsAt().map(i -> MINUTE.format(i.atZone(zone))).orElse(""),
                    count(w.amount().responses()),
                    count(w.amount().tokens().total()),
                    cost(w.amount())));
            windows.row(cells.toArray(String[]::new));
        }
        windows.print(out);
        if (r.damagedResponses() > 0) {
            out.println(damagedLine(r.damagedResponses()));
        }
        out.println(
                "Used: the engine's own figure (Codex reports it with each response; Claude Code's logs carry none).");
    }

    private static String hostCell(Blocks.Window w) {
        return switch (w.scope()) {
            case ONE -> w.host().orElseThrow();
            case SEVERAL -> ALL_HOSTS;
            case NONE -> "-";
        };
    }

    private static String windowName(Blocks.Window w) {
        String length = w.windowMinutes() % 1440 == 0
                ? (w.windowMinutes() / 1440) + "-day"
                : w.windowMinutes() % 60 == 0 ? (w.windowMinutes() / 60) + "-hour" : w.windowMinutes() + "-minute";
        return switch (w.source()) {
            case "log" -> length + " (" + w.name() + ")";
            case "block" -> length + " (current block)";
            default -> length + " (rolling)";
        };
    }
}
