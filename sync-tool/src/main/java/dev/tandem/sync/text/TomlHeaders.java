package dev.tandem.sync.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds table header lines ({@code [a.b]}, {@code [[a.b]]}) in TOML text, skipping multi-line strings, and
 * parses their key paths.
 */
final class TomlHeaders {
    private TomlHeaders() {}

    /** A header line: its index in the document and its key path. */
    record Header(int index, List<String> path) {}

    static List<Header> scan(List<String> lines) {
        List<Header> out = new ArrayList<>();
        String openDelimiter = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (openDelimiter != null) {
                if (line.contains(openDelimiter)) {
                    openDelimiter = stillOpen(line.substring(line.indexOf(openDelimiter) + 3));
                }
                continue;
            }
            int index = i;
            parse(line).ifPresent(path -> out.add(new Header(index, path)));
            openDelimiter = stillOpen(line);
        }
        return out;
    }

    /** Returns the multi-line string delimiter a line leaves open, if any. */
    private static String stillOpen(String line) {
        String open = null;
        int i = 0;
        while (i < line.length()) {
            if (open == null && line.charAt(i) == '#') {
                return null;
            }
            if (line.startsWith("\"\"\"", i) || line.startsWith("'''", i)) {
                String d = line.substring(i, i + 3);
                if (open == null) {
                    open = d;
                } else if (open.equals(d)) {
                    open = null;
                }
                i += 3;
            } else if (open == null && (line.charAt(i) == '"' || line.charAt(i) == '\'')) {
                i = skipString(line, i);
            } else {
                i++;
            }
        }
        return open;
    }

    private static int skipString(String line, int start) {
        char q = line.charAt(start);
        int i = start + 1;
        while (i < line.length() && line.charAt(i) != q) {
            i += (q == '"' && line.charAt(i) == '\\') ? 2 : 1;
        }
        return i + 1;
    }

    /** Parses a header line's key path, or empty when the line is not a header. */
    static Optional<List<String>> parse(String line) {
        String t = line.strip();
        if (!t.startsWith("[")) {
            return Optional.empty();
        }
        boolean array = t.startsWith("[[");
        int i = array ? 2 : 1;
        List<String> path = new ArrayList<>();
        while (true) {
            i = skipSpace(t, i);
            if (i >= t.length()) {
                return Optional.empty();
            }
            char c = t.charAt(i);
            int next;
            if (c == '"' || c == '\'') {
                next = skipString(t, i);
                if (next > t.length()) {
                    return Optional.empty();
                }
                path.add(unquote(t.substring(i, next)));
            } else {
                next = i;
                while (next < t.length() && isBare(t.charAt(next))) {
                    next++;
                }
                if (next == i) {
                    return Optional.empty();
                }
                path.add(t.substring(i, next));
            }
            i = skipSpace(t, next);
            if (i < t.length() && t.charAt(i) == '.') {
                i++;
                continue;
            }
            String close = array ? "]]" : "]";
            return t.startsWith(close, i) ? Optional.of(List.copyOf(path)) : Optional.empty();
        }
    }

    private static int skipSpace(String t, int i) {
        while (i < t.length() && (t.charAt(i) == ' ' || t.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static boolean isBare(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    private static String unquote(String quoted) {
        String inner = quoted.substring(1, quoted.length() - 1);
        return quoted.charAt(0) == '\'' ? inner : inner.replace("\\\"", "\"").replace("\\\\", "\\");
    }
}
