package dev.tandem.hub.fs;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * A glob in the syntax of {@link java.nio.file.FileSystem#getPathMatcher} ({@code *}, {@code **}, {@code ?},
 * {@code [a-z]}, {@code [!x]}, {@code {a,b}}, {@code \} escapes), matched by RE2 in time linear in the name: a glob
 * such as {@code *a*a*a*a*a*a*b} cannot make the match backtrack, as it does with the JDK's regex-based matcher.
 *
 * <p>The translation follows the JDK's own ({@code sun.nio.fs.Globs.toUnixRegexPattern}); RE2 has no class
 * intersection, so a negated class also excludes {@code /} explicitly instead.
 *
 * <p>The translation is linear (at most seven regex characters a glob character; groups do not nest and there are
 * no counted repetitions), so the glob's length alone bounds the program RE2 runs on every path searched.
 */
final class Glob {
    private static final String REGEX_META = ".^$+{[]|()";
    private static final String GLOB_META = "\\*?[{";
    /** The longest glob compiled, in characters: far past any real one, and a bound on the work per path. */
    static final int MAX_CHARS = 1024;

    private final Pattern pattern;

    private Glob(Pattern pattern) {
        this.pattern = pattern;
    }

    /** Compiles {@code glob}; a malformed or too long one is an {@link FsException} naming it. */
    static Glob of(String glob) {
        if (glob.length() > MAX_CHARS) {
            throw new FsException(
                    "glob: " + glob.length() + " characters is too long for a glob; the limit is " + MAX_CHARS);
        }
        try {
            return new Glob(Pattern.compile(toRegex(glob)));
        } catch (IllegalArgumentException | PatternSyntaxException e) {
            throw new FsException("glob " + FsException.show(glob) + ": not a valid glob: " + e.getMessage());
        }
    }

    /** Returns whether all of {@code path} matches. */
    boolean matches(String path) {
        return pattern.matches(path);
    }

    static String toRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        boolean inGroup = false;
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i++);
            switch (c) {
                case '\\' -> {
                    if (i == glob.length()) {
                        throw new IllegalArgumentException("no character to escape at the end");
                    }
                    char next = glob.charAt(i++);
                    if (GLOB_META.indexOf(next) >= 0 || REGEX_META.indexOf(next) >= 0) {
                        regex.append('\\');
                    }
                    regex.append(next);
                }
                case '[' -> i = bracket(glob, i, regex);
                case '{' -> {
                    if (inGroup) {
                        throw new IllegalArgumentException("groups cannot be nested");
                    }
                    regex.append("(?:(?:");
                    inGroup = true;
                }
                case '}' -> {
                    regex.append(inGroup ? "))" : "\\}");
                    inGroup = false;
                }
                case ',' -> regex.append(inGroup ? ")|(?:" : ",");
                case '*' -> {
                    if (i < glob.length() && glob.charAt(i) == '*') {
                        regex.append("(?s:.*)");
                        i++;
                    } else {
                        regex.append("[^/]*");
                    }
                }
                case '?' -> regex.append("[^/]");
                default -> {
                    if (REGEX_META.indexOf(c) >= 0) {
                        regex.append('\\');
                    }
                    regex.append(c);
                }
            }
        }
        if (inGroup) {
            throw new IllegalArgumentException("missing '}'");
        }
        return regex.toString();
    }

    /** Appends the class that starts after the {@code [} at {@code i - 1}; returns the index after its {@code ]}. */
    private static int bracket(String glob, int i, StringBuilder regex) {
        regex.append('[');
        if (i < glob.length() && glob.charAt(i) == '!') {
            regex.append("^/");
            i++;
        } else if (i < glob.length() && glob.charAt(i) == '^') {
            regex.append("\\^");
            i++;
        }
        if (i < glob.length() && glob.charAt(i) == '-') {
            regex.append("\\-");
            i++;
        }
        while (i < glob.length()) {
            char c = glob.charAt(i++);
            if (c == ']') {
                regex.append(']');
                return i;
            }
            if (c == '/') {
                throw new IllegalArgumentException("'/' inside a [class]");
            }
            if (c == '\\' || c == '[' || c == ']' || c == '^') {
                regex.append('\\');
            }
            regex.append(c);
        }
        throw new IllegalArgumentException("missing ']'");
    }
}
