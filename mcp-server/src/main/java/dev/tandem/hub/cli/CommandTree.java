package dev.tandem.hub.cli;

import java.util.Map;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.IHelpSectionRenderer;

/**
 * Renders the "Commands" section of {@code tandem --help} as the whole tree, each subcommand indented under its
 * group ({@code sync push-runtime}, {@code memory export}), so one screen shows every command there is.
 */
final class CommandTree implements IHelpSectionRenderer {
    private static final int INDENT = 2;

    @Override
    public String render(Help help) {
        if (help.subcommands().isEmpty()) {
            return "";
        }
        int nameWidth = width(help.subcommands(), INDENT) + 2;
        int total = help.commandSpec().usageMessage().width();
        TextTable table = TextTable.forColumns(
                help.colorScheme(),
                new Column(nameWidth, 0, Column.Overflow.SPAN),
                new Column(Math.max(20, total - nameWidth), 0, Column.Overflow.WRAP));
        add(table, help.subcommands(), INDENT);
        return table.toString();
    }

    private static int width(Map<String, Help> commands, int indent) {
        int max = 0;
        for (Map.Entry<String, Help> c : commands.entrySet()) {
            max = Math.max(max, indent + c.getKey().length());
            max = Math.max(max, width(c.getValue().subcommands(), indent + INDENT));
        }
        return max;
    }

    private static void add(TextTable table, Map<String, Help> commands, int indent) {
        for (Map.Entry<String, Help> c : commands.entrySet()) {
            String[] description = c.getValue().commandSpec().usageMessage().description();
            table.addRowValues(" ".repeat(indent) + c.getKey(), description.length == 0 ? "" : description[0]);
            add(table, c.getValue().subcommands(), indent + INDENT);
        }
    }
}
