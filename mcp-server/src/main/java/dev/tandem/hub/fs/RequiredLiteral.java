package dev.tandem.hub.fs;

import java.util.Optional;

/**
 * Finds a run of plain characters every match of a regular expression must contain, the way ripgrep narrows a
 * regex search to lines holding a literal first.
 *
 * <p>Deliberately conservative: only the top level of the pattern is read (groups and classes are skipped whole),
 * a quantifier drops the character before it, and a top-level {@code |}, inline flags or {@code \Q} give up.
 */
final class RequiredLiteral {
    static final int MIN_LENGTH = 3;
    private static final String META = "\\.[]{}()*+?^$|";

    private RequiredLiteral() {}

    /** Returns the longest required literal of at least {@value #MIN_LENGTH} characters, if there is one. */
    static Optional<String> of(String regex) {
        if (regex.contains("(?") || regex.contains("\\Q")) {
            return Optional.empty();
        }
        String best = "";
        StringBuilder run = new StringBuilder();
        int i = 0;
        while (i < regex.length()) {
            char c = regex.charAt(i);
            if (c == '|') {
                return Optional.empty();
            }
            if (c == '*' || c == '+' || c == '?' || c == '{') {
                if (run.length() > 0) {
                    run.setLength(run.length() - 1);
                }
                best = longer(best, run);
                run.setLength(0);
                i = c == '{' ? skipTo(regex, i, '}') : i + 1;
                continue;
            }
            if (c == '(' || c == '[') {
                best = longer(best, run);
                run.setLength(0);
                i = c == '(' ? skipGroup(regex, i) : skipClass(regex, i);
                i = skipQuantifier(regex, i);
                continue;
            }
            if (c == '\\' && i + 1 < regex.length()) {
                char e = regex.charAt(i + 1);
                if (Character.isLetterOrDigit(e)) {
                    best = longer(best, run);
                    run.setLength(0);
                } else {
                    run.append(e);
                }
                i += 2;
                continue;
            }
            if (META.indexOf(c) >= 0) {
                best = longer(best, run);
                run.setLength(0);
            } else {
                run.append(c);
            }
            i++;
        }
        best = longer(best, run);
        return best.length() >= MIN_LENGTH ? Optional.of(best) : Optional.empty();
    }

    private static String longer(String best, StringBuilder run) {
        return run.length() > best.length() ? run.toString() : best;
    }

    private static int skipQuantifier(String regex, int i) {
        if (i < regex.length() && "*+?".indexOf(regex.charAt(i)) >= 0) {
            return i + 1;
        }
        if (i < regex.length() && regex.charAt(i) == '{') {
            return skipTo(regex, i, '}');
        }
        return i;
    }

    private static int skipTo(String regex, int i, char end) {
        int j = regex.indexOf(end, i);
        return j < 0 ? regex.length() : j + 1;
    }

    private static int skipGroup(String regex, int i) {
        int depth = 0;
        for (int j = i; j < regex.length(); j++) {
            char c = regex.charAt(j);
            if (c == '\\') {
                j++;
            } else if (c == '[') {
                j = skipClass(regex, j) - 1;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return j + 1;
            }
        }
        return regex.length();
    }

    private static int skipClass(String regex, int i) {
        int j = i + 1;
        if (j < regex.length() && regex.charAt(j) == '^') {
            j++;
        }
        if (j < regex.length() && regex.charAt(j) == ']') {
            j++;
        }
        int depth = 1;
        for (; j < regex.length(); j++) {
            char c = regex.charAt(j);
            if (c == '\\') {
                j++;
            } else if (c == '[') {
                depth++;
            } else if (c == ']' && --depth == 0) {
                return j + 1;
            }
        }
        return regex.length();
    }
}
