package dev.tandem.sync.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds table header lines ({@code [a.b]}, {@code [[a.b]]}) and statement starts in TOML text, skipping
 * multi-line strings, arrays and inline tables, and parses key paths.
 */
final class TomlHeaders {
    private TomlHeaders() {}

    /** A header line: its index in the document and its key path. */
    record Header(int index, List<String> path) {}

    /** Returns the header lines of a document (a {@code [} line inside a multi-line value is not one). */
    static List<Header> scan(List<String> lines) {
        boolean[] continued = continuations(lines);
        List<Header> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!continued[i]) {
                int index = i;
                parse(lines.get(i)).ifPresent(path -> out.add(new Header(index, path)));
            }
        }
        return out;
    }

    /**
     * Returns, per line, whether it starts inside a multi-line value (a string, an array or an inline table
     * opened on an earlier line), so it is neither a header nor the start of a key.
     */
    static boolean[] continuations(List<String> lines) {
        boolean[] out = new boolean[lines.size()];
        String open = null;
        int depth = 0;
        for (int i = 0; i < lines.size(); i++) {
            out[i] = open != null || depth > 0;
            String line = lines.get(i);
            int j = 0;
            while (j < line.length()) {
                if (open != null) {
                    j = closeOf(line, j, open);
                    if (j < 0) {
                        break;
                    }
                    open = null;
                    continue;
                }
                char c = line.charAt(j);
                if (c == '#') {
                    break;
                }
                if (line.startsWith("\"\"\"", j) || line.startsWith("'''", j)) {
                    open = line.substring(j, j + 3);
                    j += 3;
                } else if (c == '"' || c == '\'') {
                    j = skipString(line, j);
                } else {
                    depth += c == '[' || c == '{' ? 1 : 0;
                    depth -= (c == ']' || c == '}') && depth > 0 ? 1 : 0;
                    j++;
                }
            }
        }
        return out;
    }

    /** Returns the index after the delimiter closing a multi-line string at or after {@code from}, or -1. */
    private static int closeOf(String line, int from, String delimiter) {
        int j = from;
        while (j < line.length()) {
            if (delimiter.charAt(0) == '"' && line.charAt(j) == '\\') {
                j += 2;
            } else if (line.startsWith(delimiter, j)) {
                j += 3;
                // up to two more quotes belong to the string: """a""""" ends with a"" inside
                while (j < line.length() && line.charAt(j) == delimiter.charAt(0)) {
                    j++;
                }
                return j;
            } else {
                j++;
            }
        }
        return -1;
    }

    private static int skipString(String line, int start) {
        char q = line.charAt(start);
        int i = start + 1;
        while (i < line.length() && line.charAt(i) != q) {
            i += (q == '"' && line.charAt(i) == '\\') ? 2 : 1;
        }
        return i + 1;
    }

    /** Returns the first key of a key/value line ({@code a} of {@code a.b = 1}), or empty for other lines. */
    static Optional<String> firstKey(String line) {
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#") || t.startsWith("[")) {
            return Optional.empty();
        }
        return key(t, 0).map(k -> k.name);
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
            Optional<Key> k = key(t, skipSpace(t, i));
            if (k.isEmpty()) {
                return Optional.empty();
            }
            path.add(k.get().name);
            i = skipSpace(t, k.get().end);
            if (i < t.length() && t.charAt(i) == '.') {
                i++;
                continue;
            }
            String close = array ? "]]" : "]";
            if (!t.startsWith(close, i)) {
                return Optional.empty();
            }
            String rest = t.substring(i + close.length()).strip();
            return rest.isEmpty() || rest.startsWith("#") ? Optional.of(List.copyOf(path)) : Optional.empty();
        }
    }

    private record Key(String name, int end) {}

    private static Optional<Key> key(String t, int i) {
        if (i >= t.length()) {
            return Optional.empty();
        }
        char c = t.charAt(i);
        if (c == '"' || c == '\'') {
            int next = skipString(t, i);
            return next > t.length() ? Optional.empty() : Optional.of(new Key(unquote(t.substring(i, next)), next));
        }
        int next = i;
        while (next < t.length() && isBare(t.charAt(next))) {
            next++;
        }
        return next == i ? Optional.empty() : Optional.of(new Key(t.substring(i, next), next));
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
