package dev.tandem.sync.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text Tandem writes into {@code CLAUDE.md}: Claude Code reads any {@code @word} outside code as a file import
 * (https://docs.anthropic.com/en/docs/claude-code/memory#claude-md-imports), so each one goes into backticks.
 */
final class ClaudeText {
    private static final Pattern AT_WORD = Pattern.compile("(?<!\\S)@[^\\s`]+");

    private ClaudeText() {}

    /** Returns the lines with every {@code @word} outside code spans and fences wrapped in backticks. */
    static List<String> quoteImports(List<String> lines) {
        List<String> out = new ArrayList<>();
        boolean fence = false;
        for (String line : lines) {
            if (line.strip().startsWith("```")) {
                fence = !fence;
                out.add(line);
            } else {
                out.add(fence ? line : quoteLine(line));
            }
        }
        return out;
    }

    private static String quoteLine(String line) {
        // an unmatched backtick opens no code span, so it cannot protect anything: make it a quote
        String text = line.chars().filter(c -> c == '`').count() % 2 == 0 ? line : line.replace('`', '\'');
        String[] parts = text.split("`", -1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                sb.append('`');
            }
            sb.append(
                    i % 2 == 0
                            ? AT_WORD.matcher(parts[i]).replaceAll(m -> Matcher.quoteReplacement("`" + m.group() + "`"))
                            : parts[i]);
        }
        return sb.toString();
    }
}
