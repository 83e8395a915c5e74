package dev.tandem.hub.cli;

import dev.tandem.hub.usage.BudgetStatus;
import dev.tandem.hub.usage.ReportJson;
import dev.tandem.hub.usage.ReportTable;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tandem usage}: tokens and cost of Codex CLI and Claude Code, read from their own logs. Without a subcommand
 * it prints usage; {@code --check} checks the budgets (exit 1 when one is spent).
 */
@Command(
        name = "usage",
        mixinStandardHelpOptions = true,
        description = "Tokens and cost of Codex CLI and Claude Code, from their own logs (docs/usage.md).",
        footerHeading = "%nExample:%n",
        footer = "  tandem usage daily --since 2026-12-01%n  tandem usage --check || echo \"over budget\"",
        subcommands = {
            UsageDailyCommand.class,
            UsageMonthlyCommand.class,
            UsageSessionCommand.class,
            UsageProjectCommand.class,
            UsageBlocksCommand.class
        })
public final class UsageCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    UsageOptions options = new UsageOptions();

    @Option(
            names = "--check",
            description = "Check the budgets ([usage] daily_usd, monthly_usd): exit 1 when one is spent, 0 otherwise.")
    boolean check;

    @Override
    public Integer call() {
        if (!check) {
            spec.commandLine().usage(spec.commandLine().getOut());
            return 0;
        }
        PrintWriter out = spec.commandLine().getOut();
        try (UsageOptions.Opened o = options.open(spec.commandLine().getErr())) {
            List<BudgetStatus> budgets = o.ledger().budgets();
            boolean over = budgets.stream().anyMatch(b -> b.level() == BudgetStatus.Level.OVER);
            if (options.json) {
                UsageOptions.printJson(out, Map.of("over", over, "budgets", ReportJson.budgets(budgets)));
            } else if (budgets.isEmpty()) {
                out.println("No budgets set ([usage] daily_usd, monthly_usd in hub.toml; docs/usage.md).");
            } else {
                budgets.forEach(b -> out.println(ReportTable.budgetLine(b)));
            }
            out.flush();
            return over ? 1 : 0;
        }
    }
}
