package dev.tandem.sync.runtime;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Lines of a skill or command that Claude Code runs as shell commands when it is invoked, before the model reads the
 * text: an inline {@code !`command`} anywhere on a line, and a code fence opened with {@code !} (```!). Matched
 * loosely (any {@code !`} counts), so a line it runs is never missed; a line that only looks like one is named too.
 */
final class ShellLines {
    private static final Pattern FENCE = Pattern.compile("^\\s*(`{3,}|~{3,})\\s*!.*");

    private ShellLines() {}

    /** Returns whether Claude Code may run {@code line} (or the fence it opens) as a shell command. */
    static boolean runs(String line) {
        return line.contains("!`") || FENCE.matcher(line).matches();
    }

    /** Returns the lines of {@code text} that run a command and are not, as they are, in {@code before}. */
    static List<String> added(String text, String before) {
        Set<String> known =
                before.lines().filter(ShellLines::runs).map(String::strip).collect(Collectors.toSet());
        return text.lines()
                .filter(ShellLines::runs)
                .filter(l -> !known.contains(l.strip()))
                .toList();
    }
}
