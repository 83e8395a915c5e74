package dev.tandem.sync.text;

import dev.tandem.sync.engine.InputException;
import dev.tandem.sync.text.Lines.Line;
import dev.tandem.sync.text.MarkerBlock.Span;
import dev.tandem.sync.text.TomlHeaders.Header;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.tomlj.Toml;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;

/**
 * Splices a TOML fragment into a managed block of a Codex {@code config.toml}, keeping every byte outside it.
 *
 * <p>When {@code codex mcp add} has rewritten the file and dropped the marker lines, the managed tables are
 * found by their key paths and replaced by the block where the first of them stood.
 */
public final class TomlBlock {
    static final String NOTE = "# Written by 'tandem sync push-runtime'; edits inside this block are replaced.";
    private static final MarkerBlock MARKERS = MarkerBlock.HASH;

    private TomlBlock() {}

    /** A parsed fragment: its lines and the key paths of its tables. */
    public record Fragment(List<String> lines, List<List<String>> tables, Map<String, Object> values) {
        public Fragment {
            lines = List.copyOf(lines);
            tables = List.copyOf(tables);
        }
    }

    /** Parses a fragment; it must parse and hold tables only (a top-level key would join the table above it). */
    public static Fragment fragment(Path source, String text) {
        Lines doc = Lines.parse(text);
        TomlParseResult parsed = parse(source, doc.body());
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

    /** Returns the file text with the block holding the fragment (a new file when {@code current} is empty). */
    public static String apply(Path file, Optional<String> current, Fragment fragment) {
        Lines doc = Lines.parse(current.orElse(""));
        parse(file, doc.body());
        List<String> body = new ArrayList<>();
        body.add(NOTE);
        body.addAll(fragment.lines());
        Outside outside = outside(file, doc, fragment);
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
        parse(file, doc.body());
        return outside(file, doc, fragment).doc().text();
    }

    /** Lists the managed leaves whose parsed value differs from the fragment's. */
    public static List<TomlValues.Difference> drift(Path file, Optional<String> current, Fragment fragment) {
        TomlParseResult actual = parse(file, Lines.parse(current.orElse("")).body());
        List<TomlValues.Difference> out = new ArrayList<>();
        for (List<String> table : fragment.tables()) {
            Object expected = get(fragment.values(), table);
            Object got = TomlValues.plain(actual.get(table));
            out.addAll(TomlValues.diff(String.join(".", table), expected, got));
        }
        return out;
    }

    /** Returns the block's body as the fragment text it came from (for pull-runtime), if the block exists. */
    public static Optional<String> blockText(Path file, String current) {
        Lines doc = Lines.parse(current);
        return MARKERS.find(file, doc).map(span -> {
            List<String> body = new ArrayList<>(MarkerBlock.body(doc, span));
            body.remove(NOTE);
            return String.join("\n", body) + "\n";
        });
    }

    /** The document without the managed part, and where the block goes. */
    private record Outside(Lines doc, Optional<Span> span, int insertAt, List<Integer> origin) {}

    private static Outside outside(Path file, Lines doc, Fragment fragment) {
        Optional<Span> span = MARKERS.find(file, doc);
        if (span.isPresent()) {
            Span s = span.get();
            List<Integer> origin = new ArrayList<>();
            for (int i = 0; i < doc.lines().size(); i++) {
                if (i < s.begin() || i > s.end()) {
                    origin.add(i);
                }
            }
            return new Outside(MarkerBlock.remove(doc, s), span, s.begin(), origin);
        }
        return withoutManagedTables(doc, fragment);
    }

    private static Outside withoutManagedTables(Lines doc, Fragment fragment) {
        List<String> texts = doc.lines().stream().map(Line::text).toList();
        List<Header> headers = TomlHeaders.scan(texts);
        boolean[] drop = new boolean[texts.size()];
        for (int h = 0; h < headers.size(); h++) {
            Header header = headers.get(h);
            if (!managed(header, fragment)) {
                continue;
            }
            boolean nextManaged = h + 1 < headers.size() && managed(headers.get(h + 1), fragment);
            int end = h + 1 < headers.size() ? headers.get(h + 1).index() : texts.size();
            while (!nextManaged && end - 1 > header.index() && isTrivia(texts.get(end - 1))) {
                end--;
            }
            for (int i = header.index(); i < end; i++) {
                drop[i] = true;
            }
        }
        List<Line> kept = new ArrayList<>();
        List<Integer> origin = new ArrayList<>();
        int insertAt = -1;
        for (int i = 0; i < texts.size(); i++) {
            if (drop[i]) {
                insertAt = insertAt < 0 ? kept.size() : insertAt;
            } else {
                kept.add(doc.lines().get(i));
                origin.add(i);
            }
        }
        return new Outside(doc.with(kept), Optional.empty(), insertAt < 0 ? kept.size() : insertAt, origin);
    }

    private static boolean managed(Header header, Fragment fragment) {
        return fragment.tables().stream().anyMatch(t -> startsWith(header.path(), t));
    }

    private static boolean isTrivia(String line) {
        String t = line.strip();
        return t.isEmpty() || t.startsWith("#");
    }

    private static void checkConflicts(Path file, Outside outside, Fragment fragment) {
        TomlParseResult parsed = parse(file, outside.doc().body());
        for (List<String> table : fragment.tables()) {
            for (int n = 1; n <= table.size(); n++) {
                List<String> prefix = table.subList(0, n);
                boolean conflict = n == table.size() ? parsed.contains(prefix) : isValue(parsed.get(prefix));
                if (conflict) {
                    TomlPosition p = Objects.requireNonNull(parsed.inputPositionOf(prefix));
                    int line = outside.origin()
                                    .get(Math.min(p.line(), outside.origin().size()) - 1)
                            + 1;
                    throw InputException.at(
                            file,
                            line,
                            p.column(),
                            "'" + String.join(".", prefix) + "' is managed by tandem but also set outside the"
                                    + " managed block; remove it there or move it into clients/codex/config-fragment.toml");
                }
            }
        }
    }

    private static boolean isValue(Object o) {
        return o != null && !(o instanceof org.tomlj.TomlTable);
    }

    /** Checks that the splice changed nothing but the managed tables (the block cannot swallow keys after it). */
    private static void checkMeaning(Path file, Lines result, Outside outside, Fragment fragment) {
        TomlParseResult after = Toml.parse(result.body());
        if (after.hasErrors()) {
            throw InputException.of(
                    file,
                    "the managed block would not parse here: " + after.errors().get(0));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> got = (Map<String, Object>) TomlValues.plain(after);
        @SuppressWarnings("unchecked")
        Map<String, Object> kept =
                (Map<String, Object>) TomlValues.plain(Toml.parse(outside.doc().body()));
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

    private static TomlParseResult parse(Path file, String body) {
        TomlParseResult result = Toml.parse(body);
        if (result.hasErrors()) {
            TomlParseError e = result.errors().get(0);
            throw InputException.at(file, e.position().line(), e.position().column(), e.getMessage());
        }
        return result;
    }
}
