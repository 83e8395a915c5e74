package dev.tandem.sync.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Claude Code runs as shell commands when a skill or command is invoked, before the model reads the text: each
 * inline {@code !`command`} anywhere in it, and the whole body of each code fence opened with {@code !} (```!).
 * Claude Code does not parse Markdown, so neither does this: matched loosely (any {@code !`} starts a span, any line
 * opening a fence with {@code !} starts a block that runs to a line holding only the same fence, or to the end), so
 * what it runs is never missed; text that only looks like it is named too. Lines end at {@code \n}, {@code \r},
 * U+0085, U+2028 and U+2029, as they do for JavaScript.
 */
final class ShellLines {
    private static final Pattern FENCE = Pattern.compile("^\\s*(`{3,}|~{3,})\\s*!.*");
    private static final Pattern BREAK = Pattern.compile("\\r\\n|[\\n\\r\\u0085\\u2028\\u2029]");

    private ShellLines() {}

    /**
     * Returns each unit {@code text} runs, in order: an inline span from {@code !`} to the next backtick (or the end),
     * and a {@code !} fence's opening line with its whole body, lines joined with {@code \n}.
     */
    static List<String> units(String text) {
        List<String> units = new ArrayList<>();
        int at = text.indexOf("!`");
        while (at >= 0) {
            int end = text.indexOf('`', at + 2);
            units.add(end < 0 ? text.substring(at) : text.substring(at, end + 1));
            at = text.indexOf("!`", at + 2);
        }
        String[] lines = BREAK.split(text, -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher open = FENCE.matcher(lines[i]);
            if (!open.matches()) {
                continue;
            }
            String fence = open.group(1);
            StringBuilder block = new StringBuilder(lines[i]);
            int j = i + 1;
            for (; j < lines.length; j++) {
                block.append('\n').append(lines[j]);
                if (lines[j].equals(fence)) {
                    break;
                }
            }
            units.add(block.toString());
            i = j;
        }
        return units;
    }

    /** Returns whether {@code text} holds anything Claude Code runs as a shell command. */
    static boolean runs(String text) {
        return !units(text).isEmpty();
    }

    /**
     * Returns what {@code text} runs that {@code before} does not, counted: a unit {@code text} holds more often than
     * {@code before} is named as many times more.
     */
    static List<String> added(String text, String before) {
        Map<String, Integer> known = new HashMap<>();
        units(before).forEach(u -> known.merge(u, 1, Integer::sum));
        List<String> added = new ArrayList<>();
        for (String u : units(text)) {
            if (known.merge(u, -1, Integer::sum) < 0) {
                added.add(u);
            }
        }
        return added;
    }
}
