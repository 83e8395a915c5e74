package dev.tandem.sync.text;

import dev.tandem.sync.engine.InputException;
import dev.tandem.sync.text.TomlHeaders.Header;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.tomlj.Toml;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;

/**
 * Splices a TOML fragment into a managed block of a Codex {@code config.toml}, keeping every byte outside it.
 *
 * <p>{@code codex mcp add/remove} re-serialises every {@code [mcp_servers.*]} table: marker lines and comments
 * above a table go, the comments trailing the last table stay where they were, and the servers are gathered
 * where the first of them stood. When the markers no longer frame exactly the managed tables, the block is
 * healed: the managed tables are found by their key paths, stray marker lines and the fragment's own comment
 * lines next to them are dropped, and the block goes where the first managed table (else the first stray
 * marker) stood. Only a file with two begin or two end markers, or with reversed markers and no managed
 * table, is refused.
 */
public final class TomlBlock {
    static final String NOTE = "# Written by 'tandem sync push-runtime'; edits inside this block are replaced.";
    private static final MarkerBlock MARKERS = MarkerBlock.HASH;

    private TomlBlock() {}

    /** A parsed fragment: its lines, the key paths of its tables and its values. */
    public record Fragment(List<String> lines, List<List<String>> tables, Map<String, Object> values) {
        public Fragment {
            lines = List.copyOf(lines);
            tables = List.copyOf(tables);
        }

        /**
         * Returns the fragment that also takes back {@code owned}: tables an earlier push wrote that this fragment no
         * longer has, found by their key paths when a CLI dropped the block's markers.
         */
        public Fragment withTables(List<List<String>> owned) {
            List<List<String>> all = new ArrayList<>(tables);
            for (List<String> t : owned) {
                if (all.stream().noneMatch(a -> startsWith(t, a))) {
                    all.add(List.copyOf(t));
                }
            }
            return new Fragment(lines, all, values);
        }

        /** Returns an empty fragment that only takes back the tables {@code owned} (its source is gone). */
        public static Fragment ofTables(List<List<String>> owned) {
            return new Fragment(List.of(), List.of(), Map.of()).withTables(owned);
        }

        /** Returns the fragment's comment lines, stripped: after a rewrite they may stray outside the block. */
        Set<String> comments() {
            Set<String> out = new HashSet<>();
            lines.stream().map(String::strip).filter(l -> l.startsWith("#")).forEach(out::add);
            out.add(NOTE);
            return out;
        }
    }

    /** Parses a fragment; it must parse and hold tables only (a top-level key would join the table above it). */
    public static Fragment fragment(Path source, String text) {
        Lines doc = Lines.parse(text);
        TomlParseResult parsed = Toml.parse(doc.body());
        if (parsed.hasErrors()) {
            TomlParseError e = parsed.errors().get(0);
            throw InputException.at(source, e.position().line(), e.position().column(), e.getMessage());
        }
        for (String key : parsed.keySet()) {
            if (!parsed.isTable(key)) {
                TomlPosition p = parsed.inputPositionOf(List.of(key));
                throw InputException.at(
                        source,
                        p.line(),
                        p.column(),
                        "top-level key '" + key + "' would fall into the table above the block; put it in a table");
            }
        }
        List<String> lines = new ArrayList<>(Lines.plain(doc.body()));
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        while (!lines.isEmpty() && lines.get(0).isBlank()) {
            lines.remove(0);
        }
        List<List<String>> tables = new ArrayList<>();
        for (Header h : TomlHeaders.scan(lines)) {
            if (tables.stream().noneMatch(t -> startsWith(h.path(), t))) {
                tables.add(h.path());
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> values = (Map<String, Object>) TomlValues.plain(parsed);
        return new Fragment(lines, tables, values);
    }

    /** Returns a small TOML file's values as plain maps; a parse error names its line. */
    public static Map<String, Object> values(Path source, String text) {
        TomlParseResult parsed = Toml.parse(Lines.parse(text).body());
        if (parsed.hasErrors()) {
            TomlParseError e = parsed.errors().get(0);
            throw InputException.at(source, e.position().line(), e.position().column(), e.getMessage());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> values = (Map<String, Object>) TomlValues.plain(parsed);
        return values;
    }

    /** Returns the file text with the block holding the fragment (a new file when {@code current} is empty). */
    public static String apply(Path file, Optional<String> current, Fragment fragment) {
        Lines doc = Lines.parse(current.orElse(""));
        TomlView.check(file, TomlHeal.texts(doc), fragment.tables());
        List<String> body = new ArrayList<>();
        body.add(NOTE);
        body.addAll(fragment.lines());
        TomlHeal.Outside outside = TomlHeal.outside(file, doc, fragment, true);
        checkConflicts(file, outside, fragment);
        Lines result = outside.span()
                .map(span -> MARKERS.replace(doc, span, body))
                .orElseGet(() -> MARKERS.insert(outside.doc(), outside.insertAt(), body));
        checkMeaning(file, result, outside, fragment);
        return result.text();
    }

    /** Returns the file text without the block or, when the markers were lost, without the managed tables. */
    public static String remove(Path file, String current, Fragment fragment) {
        Lines doc = Lines.parse(current);
        TomlView.check(file, TomlHeal.texts(doc), fragment.tables());
        return TomlHeal.outside(file, doc, fragment, false).doc().text();
    }

    /** Lists the managed leaves whose parsed value differs from the fragment's. */
    public static List<TomlValues.Difference> drift(Path file, Optional<String> current, Fragment fragment) {
        TomlParseResult actual = TomlView.relevant(
                        file, TomlHeal.texts(Lines.parse(current.orElse(""))), fragment.tables())
                .result();
        List<TomlValues.Difference> out = new ArrayList<>();
        for (List<String> table : fragment.tables()) {
            Object expected = get(fragment.values(), table);
            Object got = TomlValues.plain(actual.get(table));
            out.addAll(TomlValues.diff(String.join(".", table), expected, got));
        }
        return out;
    }

    /**
     * Returns the block's body as the fragment text it came from (for pull-runtime) when the markers frame exactly
     * the managed tables; empty when there is no block or it needs healing by a push first.
     */
    public static Optional<String> blockText(Path file, String current, Fragment fragment) {
        Lines doc = Lines.parse(current);
        return TomlHeal.outside(file, doc, fragment, false).span().map(span -> {
            List<String> body = new ArrayList<>(MarkerBlock.body(doc, span));
            body.remove(NOTE);
            return String.join("\n", body) + "\n";
        });
    }

    /**
     * Returns {@code text} without the statements of {@code keys} written directly in table {@code table}, their
     * continuation lines included (pull-runtime drops the lines push writes into the block itself).
     */
    public static String withoutKeys(String text, List<String> table, Set<String> keys) {
        List<String> lines = text.lines().toList();
        boolean[] continued = TomlHeaders.continuations(lines);
        List<String> out = new ArrayList<>();
        List<String> current = List.of();
        boolean dropping = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!continued[i]) {
                Optional<List<String>> header = TomlHeaders.parse(line);
                if (header.isPresent()) {
                    current = header.get();
                }
                dropping = header.isEmpty()
                        && current.equals(table)
                        && TomlHeaders.firstKey(line).filter(keys::contains).isPresent();
            }
            if (!dropping) {
                out.add(line);
            }
        }
        return String.join("\n", out) + "\n";
    }

    private static void checkConflicts(Path file, TomlHeal.Outside outside, Fragment fragment) {
        TomlView.Parsed parsed = TomlView.relevant(file, TomlHeal.texts(outside.doc()), fragment.tables());
        for (List<String> table : fragment.tables()) {
            for (int n = 1; n <= table.size(); n++) {
                List<String> prefix = table.subList(0, n);
                boolean conflict = n == table.size()
                        ? parsed.result().contains(prefix)
                        : isValue(parsed.result().get(prefix));
                if (conflict) {
                    int[] p = parsed.position(prefix).orElse(new int[] {1, 1});
                    int line =
                            outside.origin().get(Math.min(p[0], outside.origin().size()) - 1) + 1;
                    throw InputException.at(
                            file,
                            line,
                            p[1],
                            "'" + String.join(".", prefix) + "' is managed by tandem but also set outside the"
                                    + " managed block; remove it there or move it into codex/config-fragment.toml of your"
                                    + " Tandem source (tandem init; ~/.tandem/source by default)");
                }
            }
        }
    }

    private static boolean isValue(Object o) {
        return o != null && !(o instanceof org.tomlj.TomlTable);
    }

    /** Checks that the splice changed nothing but the managed tables (the block cannot swallow keys after it). */
    private static void checkMeaning(Path file, Lines result, TomlHeal.Outside outside, Fragment fragment) {
        TomlParseResult after;
        try {
            after = TomlView.relevant(file, TomlHeal.texts(result), fragment.tables())
                    .result();
        } catch (InputException e) {
            throw InputException.of(file, "the managed block would not parse here: " + e.getMessage());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> got = (Map<String, Object>) TomlValues.plain(after);
        @SuppressWarnings("unchecked")
        Map<String, Object> kept = (Map<String, Object>)
                TomlValues.plain(TomlView.relevant(file, TomlHeal.texts(outside.doc()), fragment.tables())
                        .result());
        for (List<String> table : fragment.tables()) {
            if (!Objects.equals(get(got, table), get(fragment.values(), table))) {
                throw InputException.of(
                        file,
                        "keys after the managed block would join [" + String.join(".", table)
                                + "]; start them with a table header");
            }
            removePath(got, table, kept);
        }
        if (!got.equals(kept)) {
            throw InputException.of(file, "the managed block would change the meaning of the lines around it");
        }
    }

    @SuppressWarnings("unchecked")
    private static void removePath(Map<String, Object> root, List<String> path, Map<String, Object> kept) {
        Map<String, Object> parent = root;
        Map<String, Object> keptParent = kept;
        List<Map<String, Object>> chain = new ArrayList<>();
        for (int i = 0; i < path.size() - 1; i++) {
            chain.add(parent);
            parent = (Map<String, Object>) parent.get(path.get(i));
            keptParent = keptParent == null ? null : (Map<String, Object>) keptParent.get(path.get(i));
            if (parent == null) {
                return;
            }
        }
        parent.remove(path.get(path.size() - 1));
        if (parent.isEmpty() && keptParent == null && !chain.isEmpty()) {
            removePath(root, path.subList(0, path.size() - 1), kept);
        }
    }

    @SuppressWarnings("unchecked")
    private static Object get(Map<String, Object> root, List<String> path) {
        Object node = root;
        for (String key : path) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = ((Map<String, Object>) map).get(key);
        }
        return node;
    }

    private static boolean startsWith(List<String> path, List<String> prefix) {
        return path.size() >= prefix.size() && path.subList(0, prefix.size()).equals(prefix);
    }
}
